"""An orbit: the camera turns once around the race, as a GIF or an MP4.

Made like the race animation (``gui.export.animation``): from a copy of the session, a few frames
per call to :meth:`Orbit.advance`, so the window's progress dialog and Cancel work the same way
(``gui.export.progress.AnimationRunner`` runs either). The turn has no held last frame: the
file loops without a stop.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from gui.export.animation import Animation, GifFrames, Mp4Frames, checked_format
from gui.export.render import caption
from gui.export.render3d import Figure3D
from gui.export.spec import MAX_FRAMES
from gui.model import Session

ORBIT_FRAMES = 90  # 6 s at 15 frames/s: slow enough to follow a path round the far side


class LoopingGif(GifFrames):
    def close(self) -> None:
        self.frames[0].save(
            self.path,
            format="GIF",
            save_all=True,
            append_images=self.frames[1:],
            duration=1000.0 / self.fps,
            loop=0,
        )


class LoopingMp4(Mp4Frames):
    def close(self) -> None:
        self.writer.close()


class Orbit(Animation):
    """Call :meth:`advance` until it returns True, then :meth:`finish`; or :meth:`cancel`.
    Nothing appears at ``path`` until :meth:`finish` has written the whole file.

    An :class:`Animation` whose frames turn the camera instead of stepping the race: it makes
    its own figure and writer, and shares the race animation's ending (finish, cancel, close).
    """

    def __init__(
        self,
        session: Session,
        path: str,
        size: tuple[int, int],
        fps: float = 15.0,
        frames: int | None = None,
        camera: Mapping[str, Any] | None = None,
        title: bool = True,
        colormap: Any = None,
    ) -> None:
        fmt, size = checked_format(path, fps, size, "Orbits")
        count = ORBIT_FRAMES if frames is None else int(frames)
        if not 2 <= count <= MAX_FRAMES:
            raise ValueError(f"Invalid frame count: {count} (must be in [2, {MAX_FRAMES}])")
        # A copy: the window's race may go on (or be reset) while the orbit renders.
        self.copy = session.snapshot()
        label = caption(self.copy) if title else None
        self.figure = Figure3D(self.copy, size, camera, label, colormap)
        self.start_azimuth = float(self.figure.view.opts["azimuth"])
        self.steps = list(range(count))  # frame numbers (``total`` counts them)
        self.done = 0
        self.open_writer(path, fmt, fps, self.figure.rgb(), (LoopingGif, LoopingMp4))

    def azimuth(self, frame: int) -> float:
        """One full turn over the frames, the last one step short of the first (it loops)."""
        return self.start_azimuth + 360.0 * frame / self.total

    def advance(self, budget: float = 0.05) -> bool:
        """Render frames for about ``budget`` seconds (at least one); True when all are made."""
        deadline = time.monotonic() + budget
        while self.done < self.total:
            self.figure.view.setCameraPosition(azimuth=self.azimuth(self.done))
            self.writer.append(self.figure.rgb())
            self.done += 1
            if time.monotonic() >= deadline:
                break
        return self.done >= self.total
