"""Load every config of a release with datasets.load_dataset and print what is in it: the first
thing to run on a new copy of the corpus.

    python scripts/load_release.py              # the newest release in releases/
    python scripts/load_release.py 0.1.0        # a version in releases/, or a folder
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from datasets import ClassLabel

import whosaidwhat
from whosaidwhat.release.features import configs
from whosaidwhat.use.loaders import release_path


def summary(folder: Path) -> str:
    lines = [f"release {folder}"]
    for config in configs():
        try:
            loaded = whosaidwhat.load(config, source=folder)
        except ValueError:  # a config with no rows in this release is not declared
            continue
        sizes = ", ".join(f"{split} {ds.num_rows}" for split, ds in loaded.items())
        lines.append(f"  {config}: {sizes}")
        for name, feature in next(iter(loaded.values())).features.items():
            if isinstance(feature, ClassLabel):
                counts = Counter(feature.int2str(v) for ds in loaded.values() for v in ds[name] if v is not None)
                lines.append(f"    {name}: " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("release", nargs="?", default=None, help="a version in releases/ or a release folder")
    args = parser.parse_args()
    folder = Path(args.release) if args.release and Path(args.release).is_dir() else release_path(args.release)
    print(summary(folder))


if __name__ == "__main__":
    main()
