"""The sandbox province: simulated government sites with seeded defects and ground truth.

``build(out_dir, seed=…)`` writes it, ``SandboxServer(out_dir)`` serves it on loopback,
``load_truth`` / ``score`` measure findings against it. See README.md in this package.
"""

from __future__ import annotations

from govinspect.sandbox.generate import AS_OF, DEFAULT_BASE_PORT, build
from govinspect.sandbox.server import SandboxServer
from govinspect.sandbox.sites import SiteSpec
from govinspect.sandbox.truth import load_manifest, load_truth

__all__ = ["AS_OF", "DEFAULT_BASE_PORT", "SandboxServer", "SiteSpec", "build", "load_manifest", "load_truth"]
