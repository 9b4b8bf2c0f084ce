"""Pre-annotation on a Dask cluster gives what a local run gives (preannotate.distributed)."""

import json
import socket

import pytest

from whosaidwhat.cli import main
from whosaidwhat.preannotate import propose_many
from whosaidwhat.preannotate.distributed import propose_on_cluster

from .conftest import REPO_ROOT

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    """A scheduler and two worker processes on this machine, reached by address as a remote one is."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as local:
        yield local.scheduler_address


def _texts() -> list[str]:
    return [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted((REPO_ROOT / "corpus").glob("*.json"))]


def test_a_cluster_proposes_exactly_what_a_local_run_does_in_input_order(cluster):
    texts = _texts()[::-1]  # not id order: the order given is the order returned
    local = [p.to_json() for p in propose_many(texts)]
    remote = [p.to_json() for p in propose_on_cluster(texts, scheduler=cluster, partition=3)]
    assert remote == local


def test_the_command_on_a_scheduler_prints_what_it_prints_locally(cluster, tmp_path, capsys):
    paths = []
    for i, text in enumerate(_texts()[:5]):
        paths.append(tmp_path / f"{i}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    assert main(["preannotate", *map(str, paths), "--format", "json"]) == 0
    local = capsys.readouterr().out
    assert main(["preannotate", *map(str, paths), "--format", "json", "--scheduler", cluster]) == 0
    assert capsys.readouterr().out == local and len(local.splitlines()) == 5


def test_a_scheduler_that_does_not_answer_is_one_line(tmp_path, capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "a.txt").write_text("Officials said 40 people were hurt.", encoding="utf-8")
    assert main(["preannotate", str(tmp_path / "a.txt"), "--scheduler", f"tcp://127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err
    assert "no Dask scheduler answers at tcp://127.0.0.1:" in err and "Traceback" not in err
