"""The layering of DESIGN.md, enforced: the engine never imports Django."""

import subprocess
import sys


def test_engine_imports_without_django():
    code = (
        "import sys, pkgutil, importlib, govinspect.engine as e\n"
        "for m in pkgutil.walk_packages(e.__path__, 'govinspect.engine.'):\n"
        "    importlib.import_module(m.name)\n"
        "import govinspect.findings, govinspect.errors\n"
        "bad = [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
