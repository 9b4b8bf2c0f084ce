"""Example analytical queries with DuckDB straight over a release's Parquet shards: no loading step,
any number of shards (the glob), the same on a laptop or over a folder of a hundred thousand articles.

    python scripts/query_duckdb.py [RELEASE]     # a version in releases/ or a folder; default the newest
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb
from datasets import Features
import pyarrow.parquet as pq

from whosaidwhat.use.loaders import release_path


def names(folder: Path, config: str, column: str) -> list[str]:
    """ClassLabel names of a column, from the Features stored in the shards' metadata."""
    schema = pq.read_schema(next((folder / config).glob("*.parquet")))
    return Features.from_arrow_schema(schema)[column].names


def queries(folder: Path) -> dict[str, str]:
    kinds, worth = names(folder, "quotes", "speaker_kind"), names(folder, "claims", "checkworthiness")
    q, c = f"read_parquet('{folder}/quotes/*.parquet')", f"read_parquet('{folder}/claims/*.parquet')"
    return {
        "quotes by speaker kind": f"""
            select {kinds}[speaker_kind + 1] as speaker_kind, count(*) as quotes,
                   round(100.0 * count(*) / sum(count(*)) over (), 1) as percent
            from {q} group by all order by quotes desc, speaker_kind""",
        "most quoted speakers": f"""
            select speaker.text as speaker, count(*) as quotes from {q}
            where speaker is not null group by all order by quotes desc, speaker limit 10""",
        "check-worthy claims and who makes them": f"""
            select c.text as claim, coalesce(qt.speaker.text, case when c.quote_id is null then 'the article'
                   else 'unnamed' end) as made_by
            from {c} as c left join {q} as qt on c.quote_id = qt.quote_id
            where {worth}[c.checkworthiness + 1] = 'check_worthy' order by c.article_id, c.start""",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("release", nargs="?", default=None)
    args = parser.parse_args()
    folder = Path(args.release) if args.release and Path(args.release).is_dir() else release_path(args.release)
    for title, sql in queries(folder).items():
        print(f"-- {title}")
        print(duckdb.sql(sql).df().to_string(index=False, max_colwidth=80), end="\n\n")


if __name__ == "__main__":
    main()
