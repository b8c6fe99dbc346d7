"""Default export names (gui/export/names.py), edge by edge: every expected name below is
written out by hand from the documented pattern ``surface_racers_stepN.ext`` with a stem of at
most 80 characters, racers cut at a whole name and marked ``-etc``."""

from gui.export.names import MAX_STEM, default_name, slug, unused
from gui.model import Session
from surfaces import SURFACES, from_formula

# Nine optimizers whose keys and dashes make 64 characters (3+8+8+7+7+4+8+5+6 + 8 dashes).
NINE = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adadelta", "adamw", "adamax")


def session_with(*optimizers: str) -> Session:
    session = Session(SURFACES["book"])
    for optimizer in optimizers:
        session.add_racer(optimizer)
    return session


def test_slug_keeps_lowercase_letters_and_digits_joined_by_single_dashes():
    assert slug("Nesterov  Momentum (β = 0.9)") == "nesterov-momentum-0-9"
    assert slug("RMSprop") == "rmsprop"
    assert slug("--adam--") == "adam"
    assert slug("!!!") == "x"  # never an empty part in a file name


def test_each_optimizer_once_in_order_and_only_enabled_ones():
    session = session_with("adam", "sgd", "adam", "momentum")
    assert default_name(session, "png") == "book_adam-sgd-momentum_step0.png"
    session.set_enabled(session.racers[1].id, False)
    assert default_name(session, ".csv") == "book_adam-momentum_step0.csv"


def test_no_racers_and_typed_formulas_are_named_too():
    assert default_name(session_with(), "png") == "book_no-racers_step0.png"
    formula = Session(from_formula("x**2 + y**2"))
    assert default_name(formula, "gif") == "formula_no-racers_step0.gif"


def test_racers_that_just_fit_are_kept_whole():
    # 69 characters of racers: with "book", "_" and "_step0" the stem is exactly 80.
    name = default_name(session_with(*NINE, "lion"), "png")
    assert (
        name
        == "book_sgd-momentum-nesterov-adagrad-rmsprop-adam-adadelta-adamw-adamax-lion_step0.png"
    )
    assert len(name) == MAX_STEM + len(".png")


def test_racers_one_character_too_long_are_cut_at_a_whole_name():
    # 70 characters of racers: one too many, so "nadam" goes and "-etc" says so.
    name = default_name(session_with(*NINE, "nadam"), "png")
    assert (
        name
        == "book_sgd-momentum-nesterov-adagrad-rmsprop-adam-adadelta-adamw-adamax-etc_step0.png"
    )


def test_unused_counts_up_from_two(tmp_path):
    path = tmp_path / "race.png"
    assert unused(path) == path
    path.write_bytes(b"")
    assert unused(path) == tmp_path / "race-2.png"
    (tmp_path / "race-2.png").write_bytes(b"")
    assert unused(path) == tmp_path / "race-3.png"
