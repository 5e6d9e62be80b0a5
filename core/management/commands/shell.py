"""``manage.py shell`` without the warning about objects it could not import.

Django's shell imports every model by its module and name; django-simple-history builds the
historical models (``HistoricalCadre`` …) at run time without making them attributes of their
module, so the shell listed 37 of them as "could not be automatically imported". They are left
out here (reach them as ``Cadre.history.model``)."""

from importlib import import_module

from django.core.management.commands import shell


def importable(path: str) -> bool:
    module, _, name = path.rpartition(".")
    try:
        return hasattr(import_module(module), name)
    except ImportError:
        return False


class Command(shell.Command):
    def get_auto_imports(self):
        imports = super().get_auto_imports()
        return None if imports is None else [path for path in imports if importable(path)]
