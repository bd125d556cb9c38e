"""Seconds to ``import netwerkonderzoek`` in a fresh interpreter (target: under 0.3 s).

Reports the best of 7 runs of ``python -c "import netwerkonderzoek"`` minus the
best of 7 runs of an empty ``python -c pass``, and which heavy libraries the
import pulls in (none of pandas, matplotlib, statsmodels, networkx should be).
"""

from __future__ import annotations

import subprocess
import sys
import time

HEAVY = ("pandas", "numpy", "matplotlib", "statsmodels", "networkx", "scipy", "papermill")


def best(code: str, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    empty = best("pass")
    full = best("import netwerkonderzoek")
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, netwerkonderzoek; print(' '.join(sorted(m for m in sys.modules if '.' not in m)))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    heavy = [name for name in HEAVY if name in loaded]
    print(f"{'interpreter start (python -c pass)':<40}{empty:>8.3f} s")
    label = 'python -c "import netwerkonderzoek"'
    print(f"{label:<40}{full:>8.3f} s")
    print(f"{'import netwerkonderzoek (difference)':<40}{full - empty:>8.3f} s   target < 0.3 s")
    print(f"heavy libraries imported: {', '.join(heavy) if heavy else 'none'}")


if __name__ == "__main__":
    main()
