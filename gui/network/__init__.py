"""The Network mode of the window: optimizers racing to train a real network (issue 15)."""

from gui.network.switch import NetworkMode, install

__all__ = ["NetworkMode", "install"]
