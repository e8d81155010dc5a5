"""The second wall: query and update workers that cannot open a network connection.

:mod:`service.sparql.policy` refuses SERVICE and LOAD towards endpoints that are not allowed,
by parsing the text. Should it ever be wrong (a parser that reads a text differently from
Oxigraph is how the first hole was made, DESIGN §7), Oxigraph must still reach nothing. When
the allow-list is empty, each worker process installs a seccomp filter (libseccomp, through
pyseccomp) before it opens the store:

- ``socket()`` of any family but ``AF_UNIX`` fails with EACCES: no TCP or UDP socket, so no
  HTTP request and no DNS lookup; the worker talks to the server over the socket pair it
  inherited, which needs no new socket;
- ``io_uring_setup()`` fails too (io_uring can open sockets without calling ``socket()``).

A filter cannot be removed once installed, and it is inherited by any child process. Nothing
else changes: files, memory and the store work as before.

>>> import subprocess, sys
>>> code = ("from service.sparql.sandbox import forbid_network; forbid_network(); import socket; "
...         "socket.create_connection(('127.0.0.1', 9))")
>>> subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stderr.split()[-5:]
['PermissionError:', '[Errno', '13]', 'Permission', 'denied']
"""

from __future__ import annotations

import errno
import socket


class SandboxError(Exception):
    """The filter could not be installed; the message says what to install."""


def forbid_network() -> None:
    """Install the filter in this process (irreversibly); raise SandboxError if impossible."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as error:  # the wrapper loads libseccomp.so.2 on import
        raise SandboxError(
            f"cannot load libseccomp ({error}); install it (Debian: apt-get install libseccomp2)"
        ) from None
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        refuse = seccomp.ERRNO(errno.EACCES)
        rules.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(refuse, "io_uring_setup")
        rules.load()
    except (OSError, RuntimeError, ValueError) as error:
        raise SandboxError(f"cannot install the seccomp filter: {error}") from None
