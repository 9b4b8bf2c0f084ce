"""Stage 2, Label Studio: the labeling config generated from the layers and the taxonomy
(``config``), the server in its own virtual environment (``server``), tasks and pre-annotations
pushed and raw exports pulled (``client``, ``preannotate``), annotators pseudonymised on the way in
(``pseudonymize``), and the one reader and writer of Label Studio results (``regions``)."""

from ..core import lazy

__getattr__, __dir__, __all__ = lazy.exports(__name__, {
    "config": ("label_config",),
    "client": ("push", "pull"),
    "server": ("start_server", "stop_server", "ServerSettings", "PostgresDatabase"),
})
