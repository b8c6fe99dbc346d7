"""Learning rates each catalogue surface proposes per optimizer (``Surface.suggested``).

Made by :func:`gui.model.suit.table`: over each lr slider's range, the rate with the lowest loss
after 1,000 steps from the surface's start, halved, kept only if it does not diverge either. An
optimizer missing from a row diverged at every rate tried there (Goldstein–Price's gradients are
in the tens of thousands at its start: SGD and Momentum leave the frame at any rate). Tuned at
the surfaces' default parameters and start points; tests/test_suit.py re-runs the races.
"""

# fmt: off
SUGGESTED_LR: dict[str, dict[str, float]] = {
    "book": {"sgd": 0.48, "momentum": 0.032, "nesterov": 0.32, "adagrad": 1.6, "rmsprop": 0.013,
        "adam": 0.4, "adadelta": 1.0, "adamw": 0.5, "adamax": 0.25, "nadam": 0.16, "radam": 0.32,
        "amsgrad": 0.16, "rprop": 0.0002, "lion": 0.05, "qhm": 1.0, "qhadam": 0.25,
        "adabelief": 0.16, "newton": 0.18},
    "rosenbrock": {"sgd": 0.0012, "momentum": 0.0016, "nesterov": 0.00063, "adagrad": 0.79,
        "rmsprop": 0.004, "adam": 0.25, "adadelta": 0.2, "adamw": 0.05, "adamax": 0.5,
        "nadam": 0.02, "radam": 0.0025, "amsgrad": 0.4, "rprop": 0.01, "lion": 0.0016,
        "qhm": 0.0034, "qhadam": 0.02, "adabelief": 0.25, "newton": 0.26},
    "beale": {"sgd": 0.015, "momentum": 0.0032, "nesterov": 0.0032, "adagrad": 1.3,
        "rmsprop": 0.004, "adam": 0.32, "adadelta": 0.25, "adamw": 0.2, "adamax": 0.5,
        "nadam": 0.1, "radam": 0.0079, "amsgrad": 0.13, "rprop": 0.0079, "lion": 0.005,
        "qhm": 0.051, "qhadam": 0.13, "adabelief": 0.2, "newton": 0.01},
    "himmelblau": {"sgd": 0.0043, "momentum": 0.00032, "nesterov": 0.00032, "adagrad": 0.5,
        "rmsprop": 0.004, "adam": 0.02, "adadelta": 5.0, "adamw": 0.5, "adamax": 0.016,
        "nadam": 0.05, "radam": 0.05, "amsgrad": 0.0079, "rprop": 0.079, "lion": 0.005,
        "qhm": 0.04, "qhadam": 0.04, "adabelief": 0.01, "newton": 1.0},
    "booth": {"sgd": 0.04, "momentum": 0.0016, "nesterov": 0.002, "adagrad": 5.0, "rmsprop": 0.13,
        "adam": 0.5, "adadelta": 1.3, "adamw": 0.5, "adamax": 0.5, "nadam": 0.16, "radam": 0.04,
        "amsgrad": 0.25, "rprop": 0.016, "lion": 0.05, "qhm": 0.18, "qhadam": 0.4,
        "adabelief": 0.16, "newton": 0.57},
    "matyas": {"sgd": 0.78, "momentum": 0.2, "nesterov": 0.5, "adagrad": 2.0, "rmsprop": 0.01,
        "adam": 0.25, "adadelta": 1.3, "adamw": 0.5, "adamax": 0.5, "nadam": 0.16, "radam": 0.5,
        "amsgrad": 0.5, "rprop": 0.0002, "lion": 0.5, "qhm": 1.0, "qhadam": 0.25,
        "adabelief": 0.16, "newton": 0.18},
    "rastrigin": {"sgd": 0.015, "momentum": 0.004, "nesterov": 0.0032, "adagrad": 3.2,
        "rmsprop": 0.13, "adam": 0.5, "adadelta": 0.032, "adamw": 0.32, "adamax": 0.0032,
        "nadam": 0.4, "radam": 0.032, "amsgrad": 0.5, "rprop": 0.5, "lion": 0.21, "qhm": 0.019,
        "qhadam": 0.32, "adabelief": 0.5, "newton": 0.01},
    "ackley": {"sgd": 0.051, "momentum": 0.025, "nesterov": 0.04, "adagrad": 0.5,
        "rmsprop": 0.063, "adam": 0.32, "adadelta": 50.0, "adamw": 0.32, "adamax": 0.4,
        "nadam": 0.25, "radam": 0.16, "amsgrad": 0.32, "rprop": 0.4, "lion": 0.21, "qhm": 0.48,
        "qhadam": 0.4, "adabelief": 0.5, "newton": 0.57},
    "goldstein-price": {"adagrad": 0.5, "rmsprop": 0.13, "adam": 0.5, "adadelta": 40.0,
        "adamw": 0.16, "adamax": 0.2, "nadam": 0.4, "amsgrad": 0.4, "rprop": 0.079, "lion": 0.005,
        "qhm": 0.0001, "qhadam": 0.25, "adabelief": 0.16, "newton": 0.83},
    "three-hump-camel": {"sgd": 0.11, "momentum": 0.025, "nesterov": 0.13, "adagrad": 0.79,
        "rmsprop": 0.002, "adam": 0.1, "adadelta": 0.32, "adamw": 0.5, "adamax": 0.25,
        "nadam": 0.1, "radam": 0.16, "amsgrad": 0.4, "rprop": 0.0002, "lion": 0.5, "qhm": 0.61,
        "qhadam": 0.16, "adabelief": 0.063, "newton": 0.013},
    "six-hump-camel": {"sgd": 0.084, "momentum": 0.04, "nesterov": 0.04, "adagrad": 0.25,
        "rmsprop": 0.025, "adam": 0.16, "adadelta": 32.0, "adamw": 0.2, "adamax": 0.16,
        "nadam": 0.16, "radam": 0.2, "amsgrad": 0.16, "rprop": 0.5, "lion": 0.21, "qhm": 0.29,
        "qhadam": 0.2, "adabelief": 0.16, "newton": 0.058},
    "styblinski-tang": {"sgd": 0.04, "momentum": 0.0079, "nesterov": 0.01, "adagrad": 3.2,
        "rmsprop": 0.25, "adam": 0.0079, "adadelta": 0.25, "adamw": 0.5, "adamax": 0.16,
        "nadam": 0.5, "radam": 0.02, "amsgrad": 0.02, "rprop": 0.00063, "lion": 0.016,
        "qhm": 0.11, "qhadam": 0.013, "adabelief": 0.013, "newton": 0.022},
    "levi13": {"sgd": 0.019, "momentum": 0.00079, "nesterov": 0.0016, "adagrad": 1.3,
        "rmsprop": 0.1, "adam": 0.5, "adadelta": 20.0, "adamw": 0.2, "adamax": 0.4, "nadam": 0.4,
        "radam": 0.13, "amsgrad": 0.2, "rprop": 0.2, "lion": 0.5, "qhm": 0.04, "qhadam": 0.2,
        "adabelief": 0.4, "newton": 0.12},
    "easom": {"sgd": 0.024, "momentum": 0.0032, "nesterov": 0.0032, "adagrad": 0.025,
        "rmsprop": 0.00079, "adam": 0.0013, "adadelta": 0.025, "adamw": 0.32, "adamax": 0.002,
        "nadam": 0.0013, "radam": 0.0025, "amsgrad": 0.0013, "rprop": 0.002, "lion": 0.0021,
        "qhm": 1.0, "qhadam": 0.0013, "adabelief": 0.0001, "newton": 0.001},
    "mccormick": {"sgd": 0.015, "momentum": 0.4, "nesterov": 0.16, "adagrad": 0.5,
        "rmsprop": 0.01, "adam": 0.5, "adadelta": 0.63, "adamw": 0.5, "adamax": 0.04,
        "nadam": 0.02, "radam": 0.025, "amsgrad": 0.5, "rprop": 0.25, "lion": 0.16, "qhm": 0.78,
        "qhadam": 0.016, "adabelief": 0.5, "newton": 1.0},
    "saddle": {"sgd": 0.0026, "momentum": 0.00032, "nesterov": 0.00032, "adagrad": 5.0,
        "rmsprop": 0.5, "adam": 0.5, "adadelta": 0.079, "adamw": 0.13, "adamax": 0.5,
        "nadam": 0.5, "radam": 0.5, "amsgrad": 0.5, "lion": 0.5, "qhm": 0.0071, "qhadam": 0.5,
        "adabelief": 0.04, "newton": 0.18},
    "monkey-saddle": {"sgd": 0.00036, "adagrad": 5.0, "rmsprop": 0.5, "adam": 0.5,
        "adadelta": 0.04, "adamw": 0.1, "adamax": 0.5, "nadam": 0.5, "radam": 0.16,
        "amsgrad": 0.5, "lion": 0.5, "qhm": 0.0012, "qhadam": 0.5, "adabelief": 0.05,
        "newton": 0.085},
    "ravine": {"sgd": 0.78, "momentum": 0.2, "nesterov": 0.4, "adagrad": 4.0, "rmsprop": 0.016,
        "adam": 0.5, "adadelta": 1.6, "adamw": 0.5, "adamax": 0.5, "nadam": 0.32, "radam": 0.5,
        "amsgrad": 0.5, "rprop": 0.2, "lion": 0.5, "qhm": 1.0, "qhadam": 0.5, "adabelief": 0.5,
        "newton": 0.18},
}
# fmt: on


def suggested(key: str) -> dict[str, dict[str, float]]:
    """Optimizer → proposed hyperparameters for the catalogue surface ``key``."""
    return {name: {"lr": lr} for name, lr in SUGGESTED_LR.get(key, {}).items()}
