"""The network race (Qt-free): the map's racers training one network on one dataset."""

from gui.model.network.race import NetworkRace
from gui.model.network.setup import DATASETS, NetworkSetup
from gui.model.network.training import BatchStream, Training, smooth_curve

__all__ = ["DATASETS", "BatchStream", "NetworkRace", "NetworkSetup", "Training", "smooth_curve"]
