"""How long the numerical library's helper threads hold a core after their work is done.

numpy multiplies the matcher's vector matrix on OpenBLAS threads. By default a finished
OpenBLAS thread keeps spinning on its core for about 2^28 cycles (a tenth of a second) in case
more work comes. In a server with one process per core, those spinning threads take the core
from the other process's request: two processes answering suggestions at once each took about
1.6× longer than with the threads released. ``OPENBLAS_THREAD_TIMEOUT=4`` (2^4 cycles, the
library's minimum) lets them sleep at once; a lone request still uses both cores for its
product. Set here, before numpy is first imported, by every process that starts the site
(web, worker, management commands); a value in the environment wins.
"""

import os

RELEASE_AFTER = "4"  # log2 of the cycles a finished OpenBLAS thread waits for more work


def blas_threads_release() -> None:
    """Let finished OpenBLAS threads sleep at once, unless the environment already says."""
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", RELEASE_AFTER)
