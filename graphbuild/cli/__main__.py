"""``python -m graphbuild.cli``: the ``perfkg`` command."""

from graphbuild.cli.main import main

main()
