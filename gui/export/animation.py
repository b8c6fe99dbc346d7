"""The race as an animation (GIF, or MP4 when imageio-ffmpeg is there), made frame by frame.

The frames come from a *copy* of the session, replayed from step 0 in an offscreen figure, so the
window keeps its state and stays usable. QWidgets cannot live in threads, so instead of a thread
the work is cut into small pieces: :meth:`Animation.advance` renders frames for a few tens of
milliseconds and returns, and the window calls it again from a timer (the CLI just loops).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from gui.export.atomic import ExportError, Pending
from gui.export.render import Figure, caption
from gui.export.spec import MAX_FRAMES
from gui.model import Session
from gui.model.scene import build, to_scene

if TYPE_CHECKING:
    from PIL import Image

STEP_CHUNK = 256  # steps of every racer between two looks at the clock: ~10 ms for eight

HOLD_SECONDS = 1.5  # the last frame stays up this long, so the viewer sees where the race ended
FORMATS = ("gif", "mp4")


def mp4_available() -> bool:
    try:
        import imageio_ffmpeg

        imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return False
    return True


def checked_format(
    path: str, fps: float, size: tuple[int, int], what: str
) -> tuple[str, tuple[int, int]]:
    """The file's format from its name, refused unless it can be written, and the frame size
    it takes (MP4 wants even sides); ``what`` names the export in the messages."""
    fmt = str(path).rsplit(".", 1)[-1].lower()
    if fmt not in FORMATS:
        raise ExportError(f"{what} are .gif or .mp4, not .{fmt}")
    if fmt == "mp4" and not mp4_available():
        raise ExportError("MP4 needs imageio-ffmpeg (pip install imageio-ffmpeg); GIF works")
    if not (0.5 <= fps <= 60):
        raise ValueError(f"Invalid fps: {fps!r} (must be in [0.5, 60])")
    if fmt == "mp4":
        size = (size[0] // 2 * 2, size[1] // 2 * 2)
    return fmt, size


def frame_steps(last: int, frames: int | None = None) -> list[int]:
    """Steps shown: 0 … ``last``, evenly spaced, every step when there are few enough."""
    count = min(last + 1, MAX_FRAMES) if frames is None else int(frames)
    if not 2 <= count <= MAX_FRAMES:
        raise ValueError(f"Invalid frame count: {count} (must be in [2, {MAX_FRAMES}])")
    return sorted({round(s) for s in np.linspace(0, last, min(count, last + 1))}) or [0]


class GifFrames:
    """Frames quantised to one shared palette as they come, written by Pillow at the end.

    One palette for all frames keeps unchanged pixels identical from frame to frame, so Pillow
    stores only the changed rectangle of each frame. It is fitted to the *last* frame (every
    trail drawn), and the racer colours, white and black are added exactly: a median cut alone
    merges thin lines into a neighbour's colour and tints the white page.
    """

    def __init__(self, path: str, fps: float, last: np.ndarray, colors: Sequence[str]) -> None:
        from PIL import Image  # here, not at the top: the window opens without Pillow

        self.path, self.fps = path, fps
        self.frames: list[Image.Image] = []
        exact = [int(c[i : i + 2], 16) for c in (*colors, "#ffffff", "#000000") for i in (1, 3, 5)]
        fitted = Image.fromarray(last).quantize(256 - len(exact) // 3, Image.Quantize.MEDIANCUT)
        flat = (fitted.getpalette()[: 768 - len(exact)] + exact)[:768]
        self.flat_palette = flat
        self.palette = np.array(flat, dtype=np.int32).reshape(-1, 3)
        self.lut = np.full(1 << 24, -1, dtype=np.int16)  # 32 MB, freed with the writer

    def append(self, rgb: np.ndarray) -> None:
        # Exact nearest colours (Pillow's own palette mapping is approximate and turns a thin
        # yellow line orange), remembered per colour in a 2^24 table: frames share most colours.
        r, g, b = (rgb[..., i].astype(np.int32) for i in range(3))
        packed = (r << 16) | (g << 8) | b
        index = self.lut[packed]
        missing = np.unique(packed[index < 0])
        for lo in range(0, len(missing), 4096):  # bounded memory: 4096 × 256 distances at most
            chunk = missing[lo : lo + 4096]
            channels = np.stack([chunk >> 16, (chunk >> 8) & 255, chunk & 255], axis=1)
            d = ((channels[:, None, :] - self.palette[None]) ** 2).sum(axis=2)
            self.lut[chunk] = d.argmin(axis=1)
        if len(missing):
            index = self.lut[packed]
        from PIL import Image

        frame = Image.fromarray(index.astype(np.uint8))  # "L"; putpalette makes it "P"
        frame.putpalette(self.flat_palette)
        self.frames.append(frame)

    def close(self) -> None:
        tick = 1000.0 / self.fps
        durations = [tick] * len(self.frames)
        durations[-1] += HOLD_SECONDS * 1000.0
        self.frames[0].save(
            self.path,
            format="GIF",
            save_all=True,
            append_images=self.frames[1:],
            duration=durations,
            loop=0,
        )

    def abort(self) -> None:
        self.frames.clear()


class Mp4Frames:
    def __init__(self, path: str, fps: float) -> None:
        import imageio.v2 as imageio

        self.fps = fps
        # macro_block_size=2: yuv420p needs even sides, which the figure guarantees; imageio's
        # default of 16 would rescale most sizes (e.g. 1920x1080) and warn.
        self.writer = imageio.get_writer(
            path, format="FFMPEG", fps=fps, codec="libx264", quality=8, macro_block_size=2
        )
        self.last: np.ndarray | None = None

    def append(self, rgb: np.ndarray) -> None:
        self.writer.append_data(rgb)
        self.last = rgb

    def close(self) -> None:
        for _ in range(round(HOLD_SECONDS * self.fps)):
            self.writer.append_data(self.last)
        self.writer.close()

    def abort(self) -> None:
        self.writer.close()


class Animation:
    """An animation of ``session``'s race, from step 0 to its current step, into ``path``.

    Call :meth:`advance` until it returns True, then :meth:`finish`; or :meth:`cancel` at any
    time. Nothing appears at ``path`` until :meth:`finish` has written the whole file.
    """

    def __init__(
        self,
        session: Session,
        path: str,
        size: tuple[int, int],
        fps: float = 15.0,
        frames: int | None = None,
        with_loss: bool = False,
        view: Sequence[float] | None = None,
        look: dict | None = None,
    ) -> None:
        """``look``: how the window's map is drawn (``MapView.look()``), for frames like it."""
        fmt, size = checked_format(path, fps, size, "Animations")
        if session.step < 1:
            raise ExportError("Nothing to animate at step 0: run the race first")
        self.steps = frame_steps(session.step, frames)
        style = {"with_loss": with_loss, "view": view, "antialias": fmt == "mp4", "look": look}
        # The last frame, drawn from the finished session itself: the GIF palette is taken from
        # it, and every frame keeps its axes, so they stay still while the curves grow.
        final = Figure(session, size, title=caption(session), **style)
        try:
            last, ranges = final.rgb(), final.ranges()
        finally:
            final.close()
        # A copy that starts at step 0, so the window's session is never stepped back. Built at
        # step 0: re-simulating it to the race's step first would freeze the window for
        # seconds at a million steps, for a state the frames reach anyway.
        self.copy, _ = build({**to_scene(session), "step": 0})
        self.figure = Figure(self.copy, size, title=caption(self.copy), **style)
        self.figure.keep_ranges(ranges)
        self.open_writer(path, fmt, fps, last, (GifFrames, Mp4Frames))
        self.done = 0

    def open_writer(self, path: str, fmt: str, fps: float, last: np.ndarray, kinds) -> None:
        """The file's pending twin and its frame writer (``kinds``: GIF and MP4 classes); the
        figure is closed if either cannot be made."""
        try:
            self.pending = Pending(path)
        except ExportError:
            self.figure.close()
            raise
        try:
            if fmt == "gif":
                colors = [r.color for r in self.copy.racers if r.enabled] or ["#000000"]
                self.writer = kinds[0](str(self.pending.path), fps, last, colors)
            else:
                self.writer = kinds[1](str(self.pending.path), fps)
        except BaseException:
            self.close(commit=False)
            raise

    @property
    def total(self) -> int:
        return len(self.steps)

    def advance(self, budget: float = 0.05) -> bool:
        """Render frames for about ``budget`` seconds (at least one); True when all are made."""
        deadline = time.monotonic() + budget
        while self.done < self.total:
            target = self.steps[self.done]
            if self.copy.step < target:
                # In chunks: at a million steps the next frame can be seconds of racing away,
                # and the window's event loop must get its turn within the budget.
                self.copy.advance(min(target - self.copy.step, STEP_CHUNK))
                if self.copy.step < target:
                    if time.monotonic() >= deadline:
                        break
                    continue
            self.figure.set_title(caption(self.copy))
            self.figure.refresh()
            self.writer.append(self.figure.rgb())
            self.done += 1
            if time.monotonic() >= deadline:
                break
        return self.done >= self.total

    def finish(self) -> None:
        """Write the file (atomically) and free the figure."""
        try:
            self.writer.close()
        except OSError as exc:
            self.close(commit=False)
            raise self.pending.error(exc) from exc
        self.close(commit=True)

    def cancel(self) -> None:
        self.writer.abort()
        self.close(commit=False)

    def close(self, commit: bool) -> None:
        self.figure.close()
        if commit:
            self.pending.commit()
        else:
            self.pending.discard()


def make(animation: Animation, progress: Callable[[int, int], None] | None = None) -> None:
    """Run an animation to the end without an event loop (the CLI); cancels on any error."""
    try:
        while not animation.advance():
            if progress:
                progress(animation.done, animation.total)
    except BaseException:
        animation.cancel()
        raise
    animation.finish()
