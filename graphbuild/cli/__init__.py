"""The ``perfkg`` command line (entry point ``graphbuild.cli:main``).

- ``main``: the command group, its error handling and the commands it carries;
- ``options``: what the commands share (store options, output files, one-line errors);
- ``extract``, ``graph``, ``queries``, ``network``: the commands, by area; ``perfkg serve``
  lives with the service (``service/cli.py``) and is loaded when it runs.
"""

from graphbuild.cli.main import main

__all__ = ["main"]
