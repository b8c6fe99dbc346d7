"""Random use of the session model: no sequence of user actions breaks it.

A hypothesis state machine adds and removes racers (every optimizer), sets hyperparameters inside,
at the edges of and outside their declared intervals, switches surfaces (the ravine's parameters at
their extremes) and typed formulas (valid and not), moves the start (far away too), sets noise and
seed, steps, resets and changes the step limit. After every action:

- only the documented ValueError (FormulaError is one) escapes, exactly when the value is outside
  what the spec declares, and a refused action changes nothing and tells no listener;
- step counts agree, and a diverged racer stays diverged at the same step until something about
  it changes;
- every path is reproducible: a fresh Session built from the same settings through the public API
  gives the identical path, to the last bit.
"""

import functools
import math

import hypothesis.strategies as st
import numpy as np
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from gui.model import Session
from gui.model.session import MAX_STEP_LIMIT
from optimizers import REGISTRY
from surfaces import SURFACES, FormulaError, from_formula

VALID_FORMULAS = ("x**2 + 3*y**2", "log(x) + y**2", "exp(1000*x) + y**2", "sin(3*x)*cos(y)")
INVALID_FORMULAS = ("x^2", "2x + y", "__import__('os')", "", "sqrt(-x**2 - 1)", "x +* y")
FAR = (1e6, -1e6, 1e300, -3.5, 0.0)
NON_FINITE = (math.nan, math.inf, -math.inf)
# Cross-field rules the optimizers document, written out here as the independent truth.
CROSS = {
    "nesterov": lambda h: h["momentum"] > 0,
    "rprop": lambda h: h["step_min"] <= h["step_max"],
}


@functools.cache
def formula(text: str):
    """Parsing runs sympy: once per text, not once per example."""
    try:
        return from_formula(text)
    except FormulaError as exc:
        return exc


def allowed(spec, value: float) -> bool:
    """Whether ``value`` lies in the interval the spec declares (not the slider's span)."""
    if not math.isfinite(value):
        return False
    above = value > spec.minimum if spec.exclusive_min else value >= spec.minimum
    below = value < spec.maximum if spec.exclusive_max else value <= spec.maximum
    return above and below


def candidates(spec) -> list[float]:
    """The edges of a spec: slider ends, validity bounds and just inside/outside them."""
    values = [spec.low, spec.high, spec.default, spec.minimum, -1.0, 1e6, *NON_FINITE]
    values += [math.nextafter(spec.minimum, math.inf), math.nextafter(spec.minimum, -math.inf)]
    if math.isfinite(spec.maximum):
        values += [spec.maximum, math.nextafter(spec.maximum, -math.inf), spec.maximum + 1]
    return values


def valid_settings(optimizer: str, hyper: dict[str, float]) -> bool:
    specs = {h.name: h for h in REGISTRY[optimizer].hyperparams}
    if not all(allowed(specs[k], v) for k, v in hyper.items()):
        return False
    return CROSS.get(optimizer, lambda h: True)(hyper)


def snapshot(s: Session) -> tuple:
    racers = [
        (r.id, r.optimizer, dict(r.hyper), r.noise, r.seed, r.enabled, r.label, r.color)
        for r in s.racers
    ]
    runs = {k: (id(run), run.step, run.diverged_at) for k, run in s.runs.items()}
    return (id(s.surface), s.start, s.step, s.step_limit, racers, runs)


def fingerprint(s: Session, r) -> tuple:
    """Everything a racer's path depends on."""
    hyper = tuple(sorted(r.hyper.items()))
    return (id(s.surface), s.start, r.optimizer, hyper, r.noise, r.seed, r.enabled)


def rebuilt(s: Session) -> Session:
    """The same race, built from nothing through the public API and run in one go."""
    fresh = Session(s.surface)
    fresh.set_start(*s.start)
    fresh.set_step_limit(s.step_limit)
    for r in s.racers:
        twin = fresh.add_racer(r.optimizer, label=r.label, color=r.color, **r.hyper)
        fresh.set_noise(twin.id, r.noise, seed=r.seed)
        fresh.set_enabled(twin.id, r.enabled)
    fresh.advance(s.step)
    return fresh


def assert_reproducible(s: Session) -> None:
    fresh = rebuilt(s)
    assert fresh.step == s.step
    for r, twin in zip(s.racers, fresh.racers, strict=True):
        run, again = s.runs[r.id], fresh.runs[twin.id]
        assert (again.step, again.diverged_at) == (run.step, run.diverged_at), r
        (steps, data), (steps2, data2) = run.trajectory.table(), again.trajectory.table()
        assert np.array_equal(steps, steps2)
        assert np.array_equal(data, data2, equal_nan=True), r


class SessionMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.s = Session()
        self.events: list[tuple[str, int | None]] = []
        self.s.events.connect(lambda kind, rid: self.events.append((kind, rid)))
        self.diverged: dict[int, tuple[tuple, int]] = {}

    def attempt(self, expect_ok: bool | None, action, *args, **kwargs):
        """Run one user action. A ValueError must leave everything as it was; ``expect_ok``
        (when known) says whether the action must succeed or be refused."""
        before = snapshot(self.s)
        self.events.clear()
        try:
            result = action(*args, **kwargs)
        except ValueError:
            assert expect_ok is not True, (action.__name__, args, kwargs)
            assert snapshot(self.s) == before, (action.__name__, args, kwargs)
            assert self.events == []
            return None
        assert expect_ok is not False, (action.__name__, args, kwargs)
        return result

    def pick(self, index: int):
        return self.s.racers[index % len(self.s.racers)]

    # --- racers ---------------------------------------------------------------------------

    @initialize(keys=st.lists(st.sampled_from(sorted(REGISTRY)), min_size=1, max_size=4))
    def start_with_racers(self, keys):
        for key in keys:  # most rules act on a racer: do not leave them waiting for add_racer
            self.attempt(True, self.s.add_racer, key)

    @precondition(lambda self: len(self.s.racers) < 6)
    @rule(key=st.sampled_from(sorted(REGISTRY)), data=st.data())
    def add_racer(self, key, data):
        hyper = {}
        if data.draw(st.booleans()):
            spec = data.draw(st.sampled_from(REGISTRY[key].hyperparams))
            hyper[spec.name] = data.draw(st.sampled_from(candidates(spec)))
        full = {h.name: h.default for h in REGISTRY[key].hyperparams} | hyper
        self.attempt(valid_settings(key, full), self.s.add_racer, key, **hyper)

    @precondition(lambda self: self.s.racers)
    @rule(index=st.integers(0, 99))
    def remove_racer(self, index):
        self.attempt(True, self.s.remove_racer, self.pick(index).id)

    @precondition(lambda self: self.s.racers)
    @rule(index=st.integers(0, 99), data=st.data())
    def set_hyper(self, index, data):
        racer = self.pick(index)
        spec = data.draw(st.sampled_from(REGISTRY[racer.optimizer].hyperparams))
        value = data.draw(
            st.sampled_from(candidates(spec)) | st.floats(spec.low, spec.high), label="value"
        )
        ok = valid_settings(racer.optimizer, dict(racer.hyper, **{spec.name: value}))
        self.attempt(ok, self.s.set_hyper, racer.id, spec.name, value)
        if ok:
            assert racer.hyper[spec.name] == value

    @precondition(lambda self: self.s.racers)
    @rule(index=st.integers(0, 99), on=st.booleans())
    def set_enabled(self, index, on):
        self.attempt(True, self.s.set_enabled, self.pick(index).id, on)

    @precondition(lambda self: self.s.racers)
    @rule(
        index=st.integers(0, 99),
        sigma=st.sampled_from([0.0, 0.1, 1.0, 1e6, -1.0, *NON_FINITE]),
        seed=st.sampled_from([None, 0, 7, 2**63 - 1, -1]),
    )
    def set_noise(self, index, sigma, seed):
        ok = math.isfinite(sigma) and sigma >= 0 and (seed is None or seed >= 0)
        self.attempt(ok, self.s.set_noise, self.pick(index).id, sigma, seed)

    # --- scene ----------------------------------------------------------------------------

    @rule(
        key=st.sampled_from(sorted(SURFACES)),
        start=st.none() | st.tuples(st.sampled_from(FAR + NON_FINITE), st.sampled_from(FAR)),
    )
    def set_surface(self, key, start):
        ok = start is None or math.isfinite(start[0])
        self.attempt(ok, self.s.set_surface, SURFACES[key], start)

    @rule(data=st.data())
    def set_ravine_values(self, data):
        if self.s.surface.key != "ravine":
            self.attempt(True, self.s.set_surface, SURFACES["ravine"])
        spec = data.draw(st.sampled_from(self.s.surface.params))
        value = data.draw(st.sampled_from([spec.low, spec.high, spec.high * 10 + 1, math.nan]))
        ok = math.isfinite(value) and spec.low <= value <= spec.high
        self.attempt(ok, self.s.set_surface_values, **{spec.name: value})

    @rule(text=st.sampled_from(VALID_FORMULAS + INVALID_FORMULAS))
    def set_formula(self, text):
        def typed():  # what the surface panel does with the text
            surface = formula(text)
            if isinstance(surface, FormulaError):
                raise surface
            self.s.set_surface(surface)

        typed.__name__ = f"formula {text!r}"
        self.attempt(text in VALID_FORMULAS, typed)

    @rule(x=st.sampled_from(FAR + NON_FINITE) | st.floats(-10, 10), y=st.sampled_from(FAR))
    def set_start(self, x, y):
        self.attempt(math.isfinite(x), self.s.set_start, x, y)

    # --- time -----------------------------------------------------------------------------

    @rule(n=st.sampled_from([0, 1, 2, 5, 17, 60, 250, -4]))
    def advance(self, n):
        before = self.s.step
        taken = self.attempt(True, self.s.advance, n)
        assert taken == min(max(n, 0), self.s.step_limit - before) == self.s.step - before

    @rule()
    def reset(self):
        self.attempt(True, self.s.reset)
        assert self.s.step == 0

    @rule(limit=st.sampled_from([1, 3, 10, 100, 1000, MAX_STEP_LIMIT, 0, -5, MAX_STEP_LIMIT + 1]))
    def set_step_limit(self, limit):
        self.attempt(1 <= limit <= MAX_STEP_LIMIT, self.s.set_step_limit, limit)

    @rule()
    def check_reproducible(self):
        assert_reproducible(self.s)

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def step_counts_agree(self):
        s = self.s
        assert 0 <= s.step <= s.step_limit
        assert sorted(s.runs) == sorted(r.id for r in s.racers)
        for r in s.racers:
            run = s.runs[r.id]
            if not r.enabled:
                assert run.step == 0
            elif run.diverged_at is None:
                assert run.step == s.step
            else:
                assert run.step == run.diverged_at <= s.step
            assert run.trajectory.head_step == run.step
            assert len(run.trajectory) == run.step + 1  # far below the capacity here

    @invariant()
    def diverged_stays_diverged(self):
        s = self.s
        for r in s.racers:
            run, key = s.runs[r.id], fingerprint(s, r)
            earlier = self.diverged.get(r.id)
            if earlier is not None and earlier[0] == key and s.step >= earlier[1]:
                assert (run.diverged_at, run.step) == (earlier[1], earlier[1])
            if run.diverged_at is not None:
                self.diverged[r.id] = (key, run.diverged_at)

    def teardown(self):
        assert_reproducible(self.s)


SessionMachine.TestCase.settings = settings(
    max_examples=100,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.mark.filterwarnings("error")  # a numpy RuntimeWarning would be printed to the user
def test_random_use_keeps_the_session_sound(capfd):
    SessionMachine.TestCase().runTest()
    assert capfd.readouterr() == ("", "")
