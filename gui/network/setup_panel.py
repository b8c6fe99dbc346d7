"""What the network race trains on: a preset, the dataset, the network's shape, batch and seed.

Edits are gathered and applied together with "Apply" (each would otherwise restart every racer);
a setup the model refuses — a bad hidden size, MNIST not found in the chosen folder — shows its
one-line message here and changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6 import QtCore, QtWidgets

from gui.model.network import DATASETS, NetworkSetup
from gui.model.network.presets import NETWORK_PRESETS
from gui.model.network.setup import MAX_BATCH
from gui.theme import ERROR_COLOR
from surfaces.network import ACTIVATIONS, INITS

NOISE_DEFAULT = -0.01  # the spin box's special value: the dataset's own noise


class SetupPanel(QtWidgets.QWidget):
    setup_requested = QtCore.Signal(object)  # a NetworkSetup
    preset_requested = QtCore.Signal(str)

    def __init__(self, setup: NetworkSetup, parent=None) -> None:
        super().__init__(parent)
        self.preset = QtWidgets.QComboBox()
        for key, preset in NETWORK_PRESETS.items():
            self.preset.addItem(preset.title, key)
            self.preset.setItemData(
                self.preset.count() - 1, preset.explanation, QtCore.Qt.ItemDataRole.ToolTipRole
            )
        # The longest preset title must not widen the whole column of controls.
        self.preset.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset.setMinimumContentsLength(12)
        self.load_preset = QtWidgets.QPushButton("Load")
        self.load_preset.setToolTip("Replace the race with this preset (racers included)")
        preset_row = QtWidgets.QHBoxLayout()
        preset_row.addWidget(self.preset, 1)
        preset_row.addWidget(self.load_preset)

        self.dataset = QtWidgets.QComboBox()
        for key in DATASETS:
            self.dataset.addItem("MNIST (from a folder)" if key == "mnist" else key, key)
        self.size = _spin(20, 100_000, " points")
        self.noise = QtWidgets.QDoubleSpinBox()
        self.noise.setRange(NOISE_DEFAULT, 10.0)
        self.noise.setSingleStep(0.01)
        self.noise.setSpecialValueText("default")
        self.data_seed = _spin(0, 2**31 - 1)
        self.mnist_path = QtWidgets.QLineEdit()
        self.mnist_path.setPlaceholderText("folder with the MNIST files")
        self.browse = QtWidgets.QPushButton("Folder…")
        mnist_row = QtWidgets.QHBoxLayout()
        mnist_row.addWidget(self.mnist_path, 1)
        mnist_row.addWidget(self.browse)
        self.hidden = QtWidgets.QLineEdit()
        self.hidden.setToolTip("Hidden layer sizes, comma-separated: 32,32")
        self.activation = QtWidgets.QComboBox()
        self.activation.addItems(list(ACTIVATIONS))
        self.init = QtWidgets.QComboBox()
        self.init.setEditable(True)
        self.init.addItems(list(INITS))
        self.init.setToolTip("He (relu), Xavier (sigmoid), or a standard deviation such as 0.01")
        self.batch = _spin(1, MAX_BATCH)
        self.seed = _spin(0, 2**31 - 1)
        self.seed.setToolTip("Seed of the shared first weights and of the mini-batch sequence")
        self.apply = QtWidgets.QPushButton("Apply")
        self.apply.setToolTip("Restart every racer on this data and network")
        self.error = QtWidgets.QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.hide()
        self.shape = QtWidgets.QLabel()
        self.shape.setStyleSheet("color: gray;")

        form = QtWidgets.QFormLayout()
        form.addRow("Preset", preset_row)
        form.addRow("Dataset", self.dataset)
        form.addRow("Size", self.size)
        form.addRow("Noise", self.noise)
        form.addRow("Data seed", self.data_seed)
        form.addRow("MNIST", mnist_row)
        form.addRow("Hidden", self.hidden)
        form.addRow("Activation", self.activation)
        form.addRow("Init", self.init)
        form.addRow("Batch", self.batch)
        form.addRow("Seed", self.seed)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.shape, 1)
        row.addWidget(self.apply)
        layout.addLayout(row)
        layout.addWidget(self.error)

        self._setup = setup
        self.show_setup(setup, "")
        self.load_preset.clicked.connect(self._on_load_preset)
        self.apply.clicked.connect(self._on_apply)
        self.browse.clicked.connect(self._on_browse)
        self.dataset.currentIndexChanged.connect(self._on_dataset_chosen)

    def show_setup(self, setup: NetworkSetup, shape: str) -> None:
        """Show the race's setup (after a preset, a session, or an applied edit)."""
        self._setup = setup
        self.dataset.setCurrentIndex(max(0, self.dataset.findData(setup.dataset)))
        self.size.setValue(setup.size)
        self.noise.setValue(NOISE_DEFAULT if setup.noise is None else setup.noise)
        self.data_seed.setValue(min(setup.data_seed, 2**31 - 1))
        self.mnist_path.setText(setup.mnist_path or "")
        self.hidden.setText(",".join(str(h) for h in setup.hidden))
        self.activation.setCurrentText(setup.activation)
        self.init.setCurrentText(str(setup.weight_init_std))
        self.batch.setValue(setup.batch)
        self.seed.setValue(min(setup.seed, 2**31 - 1))
        self.shape.setText(f"network {shape}" if shape else "")
        self._on_dataset_chosen()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def edited_setup(self) -> NetworkSetup:
        """The setup the fields describe; ValueError names a field that cannot be read."""
        parts = [p.strip() for p in self.hidden.text().replace(";", ",").split(",")]
        try:
            hidden = tuple(int(p) for p in parts if p)
        except ValueError:
            raise ValueError(
                f"Invalid hidden sizes: {self.hidden.text()!r} (whole numbers, like 32,32)"
            ) from None
        init_text = self.init.currentText().strip()
        try:
            init: str | float = float(init_text)
        except ValueError:
            init = init_text
        dataset = self.dataset.currentData()
        noise = self.noise.value()
        return replace(
            self._setup,
            dataset=dataset,
            size=self.size.value(),
            noise=None if noise <= NOISE_DEFAULT else noise,
            data_seed=self.data_seed.value(),
            options={} if dataset != self._setup.dataset else dict(self._setup.options),
            mnist_path=self.mnist_path.text().strip() or None,
            hidden=hidden,
            activation=self.activation.currentText(),
            weight_init_std=init,
            batch=self.batch.value(),
            seed=self.seed.value(),
        ).checked()

    def _on_apply(self) -> None:
        try:
            setup = self.edited_setup()
        except ValueError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self.setup_requested.emit(setup)

    def _on_load_preset(self) -> None:
        self.show_error("")
        self.preset_requested.emit(self.preset.currentData())

    def _on_browse(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(
            self, "Folder with MNIST", self.mnist_path.text()
        )
        if folder:
            self.mnist_path.setText(folder)
            self.dataset.setCurrentIndex(self.dataset.findData("mnist"))

    def _on_dataset_chosen(self) -> None:
        mnist = self.dataset.currentData() == "mnist"
        for w in (self.size, self.noise, self.data_seed):
            w.setEnabled(not mnist)
        self.mnist_path.setEnabled(mnist)


def _spin(low: int, high: int, suffix: str = "") -> QtWidgets.QSpinBox:
    box = QtWidgets.QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    return box
