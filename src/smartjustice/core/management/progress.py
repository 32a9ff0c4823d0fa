"""The progress output of long-running commands (`laws import`, `ledger audit`)."""

from __future__ import annotations


class Progress:
    """A progress bar on a terminal; otherwise one line per tenth, so logs stay short."""

    WIDTH = 30

    def __init__(self, stdout, *, enabled: bool = True):
        self.stdout = stdout
        self.enabled = enabled
        self.tty = hasattr(stdout, "isatty") and stdout.isatty()
        self.last_tenth = -1

    def __call__(self, done: int, total: int | None, label: str = "") -> None:
        if not self.enabled:
            return
        if not total:
            if done % 1000 == 0:
                self.stdout.write(f"  已处理 {done:,}")
            return
        fraction = min(1.0, done / total)
        filled = int(fraction * self.WIDTH)
        line = f"  [{'#' * filled}{'.' * (self.WIDTH - filled)}] {fraction:4.0%} {done}/{total} {label[:24]}"
        if self.tty:
            self.stdout.write("\r" + line.ljust(90), ending="\n" if done >= total else "")
            self.stdout.flush()
        elif int(fraction * 10) > self.last_tenth:
            self.last_tenth = int(fraction * 10)
            self.stdout.write(line)
