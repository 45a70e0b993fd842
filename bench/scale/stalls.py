"""Where the event loop is held: a thread that, while the loop has not woken the stall monitor for longer than
a threshold, samples the loop thread's stack every few milliseconds. Each sample stands for that much of a hold,
so the stacks seen most often are where the long holds are spent. `python -m bench.scale --stall-stacks`."""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import Counter

SAMPLE_SECONDS = 0.005
OURS = ("/bot/", "/services/", "/handlers/", "/scheduler/", "/models/")


class StallStacks:
    def __init__(self, threshold: float = 0.03) -> None:
        self.threshold = threshold
        self.beat = time.monotonic()  # the stall monitor's last wake-up
        self.phase = "-"
        self.samples: Counter[tuple[str, str]] = Counter()
        self._loop_thread = threading.get_ident()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="stall-stacks", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(1)

    def _watch(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            if time.monotonic() - self.beat < self.threshold or self.phase == "-":
                continue
            frame = sys._current_frames().get(self._loop_thread)
            if frame is not None:
                self.samples[(self.phase, where(traceback.extract_stack(frame)))] += 1

    def report(self, top: int = 12) -> str:
        lines = [f"where the loop was held past {self.threshold * 1000:.0f} ms (a sample each "
                 f"{SAMPLE_SECONDS * 1000:.0f} ms of holding):"]  # fmt: skip
        for (phase, stack), count in self.samples.most_common(top):
            lines.append(f"  {count * SAMPLE_SECONDS * 1000:6.0f} ms  {phase}\n      {stack}")
        return "\n".join(lines)


def where(stack: traceback.StackSummary) -> str:
    """The project's frames of a stack, outermost first, and the innermost frame of all."""
    ours = [f"{f.filename.rsplit('/', 2)[-2]}/{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
            for f in stack if any(part in f.filename for part in OURS) and "/.venv/" not in f.filename]  # fmt: skip
    leaf = stack[-1]
    return " > ".join(ours[-5:] + [f"[{leaf.filename.rsplit('/', 1)[-1]}:{leaf.lineno} {leaf.name}]"])
