"""Stage 2, Label Studio: the labeling config generated from the layers and the taxonomy
(``config``), the server in its own virtual environment (``server``), tasks and pre-annotations
pushed and raw exports pulled (``client``, ``preannotate``), annotators pseudonymised on the way in
(``pseudonymize``), and the one reader and writer of Label Studio results (``regions``)."""

from ..core.lazy import exports as _exports

_HOMES = {
    'label_config': 'config',
    'push': 'client',
    'pull': 'client',
    'start_server': 'server',
    'stop_server': 'server',
    'ServerSettings': 'server',
}
__all__ = sorted(_HOMES)
__getattr__, __dir__ = _exports(__name__, _HOMES)
