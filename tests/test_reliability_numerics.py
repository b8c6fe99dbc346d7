"""Extreme numbers never crash, hang or print: through the model and through the window.

A learning rate of 1e6, momentum 0.9999, eps 0 at a point with zero gradient (0/0), a formula that
overflows (exp(1000x)) or is undefined (log x for x < 0). Expected: the racer is marked diverged
at the first step whose point, loss or gradient is not finite or leaves the escape box (worked out
here by hand), nothing more is simulated after it, the heat map is transparent where f is not
finite, contour lines keep out of those parts, and nothing reaches stdout, stderr, Python's
warnings or Qt's message log.
"""

import math

import numpy as np
import pytest

from gui.contours import sample
from gui.model import Session
from gui.model.racer import ESCAPE_FRAMES
from gui.racer_panel import status_text
from gui.window import MainWindow
from optimizers import REGISTRY
from surfaces import SURFACES, from_formula

pytestmark = pytest.mark.filterwarnings("error")  # a RuntimeWarning would be printed to the user

OVERFLOW = "exp(1000*x) + y**2"
UNDEFINED = "log(x) + y**2"

# name: (surface, start, optimizer, hyperparameters, steps, diverged_at), worked out by hand:
CASES = {
    # y1 = 2 - 1e6 * 2*2 = -3,999,998: far outside the escape box (y within ±20,005).
    "lr 1e6": ("book", (-7.0, 2.0), "sgd", {"lr": 1e6}, 50, 1),
    # The heavy ball on a bowl of curvature 2 is stable for lr*2 < 2(1 + momentum): it rings
    # for ever but never leaves: no divergence in 20,000 steps.
    "momentum 0.9999": (
        "book",
        (-7.0, 2.0),
        "momentum",
        {"lr": 1.0, "momentum": 0.9999},
        20_000,
        None,
    ),
    # At the minimum the gradient is 0: AdaGrad's 0 / (sqrt(0) + 0) is NaN at the first step.
    "adagrad eps 0": ("book", (0.0, 0.0), "adagrad", {"eps": 0.0}, 50, 1),
    # RMSprop: v = 0, 0 / (sqrt(0) + 0) again.
    "rmsprop eps 0": ("book", (0.0, 0.0), "rmsprop", {"eps": 0.0}, 50, 1),
    # Adam: m̂ = 0, v̂ = 0, 0 / (sqrt(0) + 0).
    "adam eps 0": ("book", (0.0, 0.0), "adam", {"eps": 0.0}, 50, 1),
    # exp(1000 * 0.71) = exp(710) overflows a double (the largest is about exp(709.78)).
    "overflow at the start": (OVERFLOW, (0.71, 0.0), "sgd", {"lr": 0.01}, 50, 0),
    # The gradient 1000 exp(500) ≈ 1.4e220 throws x1 to about -1.4e218: out of the box.
    "overflow in the gradient": (OVERFLOW, (0.5, 0.0), "sgd", {"lr": 0.01}, 50, 1),
    # log(-1) is undefined from the start.
    "undefined at the start": (UNDEFINED, (-1.0, 0.0), "adam", {}, 50, 0),
    # x1 = 0.5 - 1 * (1 / 0.5) = -1.5, where log is undefined.
    "undefined after a step": (UNDEFINED, (0.5, 1.0), "sgd", {"lr": 1.0}, 50, 1),
}


def surface(key: str):
    return SURFACES[key] if key in SURFACES else from_formula(key)


def race(name: str) -> Session:
    key, start, optimizer, hyper, _, _ = CASES[name]
    session = Session(surface(key))
    session.set_start(*start)
    session.set_step_limit(100_000)
    session.add_racer(optimizer, **hyper)
    return session


def first_bad_step(session: Session, racer_id: int) -> int | None:
    """The first stored step whose values are not finite or lie outside the escape box."""
    xmin, xmax, ymin, ymax = session.surface.bounds
    reach = ESCAPE_FRAMES * max(xmax - xmin, ymax - ymin)
    steps, data = session.runs[racer_id].trajectory.table()
    with np.errstate(invalid="ignore"):
        inside = (np.abs(data[:, 0] - (xmin + xmax) / 2) <= (xmax - xmin) / 2 + reach) & (
            np.abs(data[:, 1] - (ymin + ymax) / 2) <= (ymax - ymin) / 2 + reach
        )
    bad = ~(np.isfinite(data).all(axis=1) & inside)
    return int(steps[np.argmax(bad)]) if bad.any() else None


@pytest.mark.parametrize("name", CASES)
def test_model_marks_divergence_exactly_where_the_numbers_break(name, quiet):
    *_, steps, expected = CASES[name]
    session = race(name)
    (racer,) = session.racers
    session.advance(steps)
    run = session.runs[racer.id]
    assert run.diverged_at == expected == first_bad_step(session, racer.id)
    assert run.step == (steps if expected is None else expected)
    session.advance(10)  # a diverged racer takes no more steps
    assert run.step == (steps + 10 if expected is None else expected)


@pytest.mark.parametrize(
    "key", [k for k, cls in REGISTRY.items() if "eps" in {h.name for h in cls.hyperparams}]
)
def test_every_optimizer_with_eps_0_at_a_flat_point_is_diverged_or_finite(key, quiet):
    session = Session(SURFACES["book"])
    session.set_start(0.0, 0.0)
    racer = session.add_racer(key, eps=0.0)
    session.advance(30)
    run = session.runs[racer.id]
    assert run.diverged_at == first_bad_step(session, racer.id)
    assert run.step == (30 if run.diverged_at is None else run.diverged_at)


@pytest.fixture
def window(show_window):
    def show(session: Session) -> MainWindow:
        return show_window(session, size=(1000, 700))

    return show


def in_finite_cells(field, points: np.ndarray) -> np.ndarray:
    """For each (x, y), whether it lies in a grid cell whose four samples are all finite (a point
    on a cell's edge may count for either cell it touches)."""
    finite = np.isfinite(field.c)
    ok = np.zeros(len(points), dtype=bool)
    tol = 1e-6 * (field.xs[1] - field.xs[0]), 1e-6 * (field.ys[1] - field.ys[0])
    for dx in (-tol[0], tol[0]):
        for dy in (-tol[1], tol[1]):
            i = np.clip(np.searchsorted(field.xs, points[:, 0] + dx) - 1, 0, len(field.xs) - 2)
            j = np.clip(np.searchsorted(field.ys, points[:, 1] + dy) - 1, 0, len(field.ys) - 2)
            ok |= finite[j, i] & finite[j + 1, i] & finite[j, i + 1] & finite[j + 1, i + 1]
    return ok


@pytest.mark.parametrize("name", CASES)
def test_window_shows_the_divergence_and_stays_quiet(name, window, qtbot, quiet):
    *_, steps, expected = CASES[name]
    win = window(race(name))
    (racer,) = win.session.racers
    win.playback.speed = min(steps, 1000)
    win.playback.stop_after(max(1, steps // 1000))
    with qtbot.waitSignal(win.playback.done, timeout=60_000):
        win.playback.play()
    win.refresh_status()
    assert not win.grab().isNull()
    text, bad = status_text(win.session, racer)
    box = win.racer_panel.boxes[racer.id]
    if expected is None:
        assert not bad and "diverged" not in win.step_status.text()
    else:
        assert (text, bad) == (f"diverged at step {expected}", True)
        assert box.status.text() == text
        assert f"{racer.label} diverged" in win.step_status.text()


@pytest.mark.parametrize("formula", [OVERFLOW, UNDEFINED])
def test_heat_map_is_transparent_and_contours_keep_out_where_f_is_not_finite(
    formula, window, quiet
):
    session = Session(from_formula(formula))
    win = window(session)
    assert not win.grab().isNull()  # paints the image, which makes its QImage
    field = sample(session.surface)
    missing = ~np.isfinite(field.c)
    assert 0.2 < missing.mean() < 0.8  # both kinds of region are on the map
    image = win.map_view.image.qimage
    rows, cols = np.nonzero(missing)
    picks = np.linspace(0, len(rows) - 1, 50).astype(int)
    # ImageItem holds c transposed: image pixel (column i, row j) is the sample c[j, i].
    assert {image.pixelColor(int(cols[k]), int(rows[k])).alpha() for k in picks} == {0}
    rows, cols = np.nonzero(~missing)
    picks = np.linspace(0, len(rows) - 1, 50).astype(int)
    assert {image.pixelColor(int(cols[k]), int(rows[k])).alpha() for k in picks} == {255}
    x, y = win.map_view.contours.getData()
    points = np.column_stack([x, y])
    points = points[np.isfinite(points).all(axis=1)]
    assert len(points) > 100
    assert in_finite_cells(field, points).all()
    assert math.isfinite(win.map_view.colorbar.levels()[0])
