"""Pre-annotating a large archive on a Dask cluster: the same proposals as a local run, partitioned
by article.

Why Dask (``distributed``): it is plain Python, installed from the package index like the rest
(Ray's wheels are large and Spark needs a JVM), a ``LocalCluster`` runs the very same code on one
machine (the tests use one), and a multi-machine cluster is ``dask scheduler`` on one host and
``dask worker tcp://HOST:8786`` on the others, each with this package installed.

Each partition (``PARTITION`` articles, in the order given) is one task: the worker loads the spaCy
pipeline once (``model.load`` is cached per process) and runs ``propose_many`` over its texts with
``nlp.pipe``. Results come back in the order of the input whatever order the partitions finish in,
so the output equals ``propose_many`` over the same texts, byte for byte.

>>> from whosaidwhat.preannotate.distributed import propose_on_cluster   # doctest: +SKIP
>>> list(propose_on_cluster(texts, scheduler="tcp://10.0.0.5:8786"))      # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from ..core.errors import CorpusError
from . import DEFAULT_MODEL, Proposals, propose_many

PARTITION = 32  # articles per task: enough to keep nlp.pipe batching, small enough to spread an archive


def _partition(texts: list[str], model: str) -> list[Proposals]:
    """One task, run on a worker."""
    return list(propose_many(texts, model))


@contextmanager
def cluster_client(scheduler: str | None = None, workers: int | None = None):
    """A Dask client: to the scheduler at ``scheduler`` (``tcp://host:8786``), or to a cluster of
    ``workers`` local processes started here and stopped after."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise CorpusError("running on a cluster needs Dask: pip install 'whosaidwhat[distributed]'") from error
    if scheduler:
        try:
            client = Client(scheduler, timeout="5s")
        except OSError as error:
            raise CorpusError(f"no Dask scheduler answers at {scheduler} ({error})") from None
        with client:
            yield client
        return
    with LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        yield client


def propose_on_cluster(texts: Iterable[str], *, scheduler: str | None = None, workers: int | None = None,
                       model: str = DEFAULT_MODEL, partition: int = PARTITION) -> Iterator[Proposals]:
    """The proposals of every text, in order, computed by the cluster's workers."""
    with cluster_client(scheduler, workers) as client:
        yield from propose_with(client, texts, model=model, partition=partition)


def warm(client, model: str = DEFAULT_MODEL) -> None:
    """Load the pipeline in every worker now (a benchmark times the work, not the loading)."""
    from .model import load
    client.run(load, model)


def propose_with(client, texts: Iterable[str], *, model: str = DEFAULT_MODEL,
                 partition: int = PARTITION) -> Iterator[Proposals]:
    """``propose_on_cluster`` with a client already connected."""
    from distributed import as_completed

    texts = list(texts)
    parts = [texts[i:i + partition] for i in range(0, len(texts), partition)]
    futures = [client.submit(_partition, part, model, pure=False) for part in parts]
    index = {future.key: i for i, future in enumerate(futures)}
    done: dict[int, list[Proposals]] = {}
    following = 0
    for future in as_completed(futures):
        done[index[future.key]] = future.result()
        while following in done:  # hand results on in input order as soon as they can be
            yield from done.pop(following)
            following += 1
