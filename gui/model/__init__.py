"""The Qt-free session model: everything a view, exporter, CLI or test needs."""

from gui.model.events import Events
from gui.model.racer import Racer, Run
from gui.model.session import PALETTE, Session, book_scene
from gui.model.trajectory import Trajectory

__all__ = ["PALETTE", "Events", "Racer", "Run", "Session", "Trajectory", "book_scene"]
