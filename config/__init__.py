from config.threads import blas_threads_release

blas_threads_release()  # before anything imports numpy

from config.celery import app as celery_app  # noqa: E402

__all__ = ["celery_app"]
