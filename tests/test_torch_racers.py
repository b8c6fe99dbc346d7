"""PyTorch optimizers as racers: the same path as ours where we implement the same rule, every
installed library optimizer racing, L-BFGS through a closure, and the import guard."""

import json

import numpy as np
import pytest
from conftest import peer

from gui.model.scene import SceneError, build, read
from gui.model.session import Session
from gui.model.sweep import sweep
from optimizers import REGISTRY, torch_bridge
from surfaces import SURFACES

pytestmark = pytest.mark.needs_torch
torch = peer("torch", reason="PyTorch racers need torch (pip install '.[torch]')")

STEPS = 200
# (ours, our settings, torch class, its settings): the rules the reference tests pair up.
PAIRS = [
    ("sgd", {"lr": 1e-3}, "SGD", {"lr": 1e-3}),
    ("momentum", {"lr": 1e-3, "momentum": 0.9}, "SGD", {"lr": 1e-3, "momentum": 0.9}),
    ("nesterov", {"lr": 1e-3, "momentum": 0.8}, "SGD",
     {"lr": 1e-3, "momentum": 0.8, "nesterov": 1.0}),
    ("adagrad", {"lr": 0.1, "eps": 1e-10}, "Adagrad", {"lr": 0.1, "eps": 1e-10}),
    ("rmsprop", {"lr": 1e-3, "decay_rate": 0.9, "eps": 1e-8}, "RMSprop",
     {"lr": 1e-3, "alpha": 0.9, "eps": 1e-8}),
    ("adam", {"lr": 0.01, "eps": 0.0}, "Adam", {"lr": 0.01, "eps": 0.0}),
    ("adadelta", {"lr": 1.0, "rho": 0.95}, "Adadelta", {"lr": 1.0, "rho": 0.95}),
    ("adamw", {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "weight_decay": 0.05}, "AdamW",
     {"lr": 0.01, "betas_0": 0.8, "betas_1": 0.99, "weight_decay": 0.05}),
    ("adamax", {"lr": 0.01, "beta2": 0.99}, "Adamax", {"lr": 0.01, "betas_1": 0.99}),
    ("nadam", {"lr": 0.01, "momentum_decay": 0.01}, "NAdam",
     {"lr": 0.01, "momentum_decay": 0.01}),
    ("radam", {"lr": 3e-3}, "RAdam", {"lr": 3e-3}),
    ("amsgrad", {"lr": 0.01, "beta2": 0.99}, "Adam",
     {"lr": 0.01, "betas_1": 0.99, "amsgrad": 1.0}),
    ("rprop", {"lr": 0.01, "eta_minus": 0.4, "eta_plus": 1.3, "step_min": 1e-5, "step_max": 1.0},
     "Rprop", {"lr": 0.01, "etas_0": 0.4, "etas_1": 1.3, "step_sizes_0": 1e-5,
               "step_sizes_1": 1.0}),
]  # fmt: skip


def path(session, racer):
    return session.runs[racer.id].trajectory.table()[1][:, :2]


@pytest.mark.parametrize("surface", ["book", "rosenbrock"])
@pytest.mark.parametrize(("ours", "our_hyper", "theirs", "their_hyper"), PAIRS)
def test_a_torch_racer_draws_our_path(ours, our_hyper, theirs, their_hyper, surface):
    session = Session(SURFACES[surface])
    session.step_limit = STEPS
    a = session.add_racer(ours, **our_hyper)
    b = session.add_racer(f"torch.optim.{theirs}", **their_hyper)
    session.advance(STEPS)
    assert session.status(b.id)["diverged_at"] is None
    np.testing.assert_allclose(path(session, b), path(session, a), rtol=1e-9, atol=1e-12)


def test_noise_and_schedule_reach_the_torch_optimizer():
    session = Session(SURFACES["book"])
    session.step_limit = STEPS
    a = session.add_racer("adamw", lr=0.3, weight_decay=0.0)
    b = session.add_racer("torch.optim.AdamW", lr=0.3, weight_decay=0.0)
    for racer in (a, b):
        session.set_noise(racer.id, 0.5, seed=3)
        session.set_schedule(racer.id, "cosine", steps=STEPS)
    session.advance(STEPS)
    np.testing.assert_allclose(path(session, b), path(session, a), rtol=1e-9, atol=1e-12)


def test_lbfgs_takes_its_closure_from_the_surface_and_converges():
    session = Session(SURFACES["book"])
    session.set_start(-7.0, 2.0)
    racer = session.add_racer("torch.optim.LBFGS", lr=1.0)
    session.step_limit = 10
    session.advance(10)
    status = session.status(racer.id)
    assert status["diverged_at"] is None
    assert status["loss"] < 1e-10 and abs(status["x"]) < 1e-4 and abs(status["y"]) < 1e-4


def library_keys():
    keys = []
    for module in ("pytorch_optimizer", "torch_optimizer"):
        peer(module, reason=f"{module} is an optional library (CI installs it)")
        keys += torch_bridge.listed(module)
    return keys


def test_every_library_optimizer_races_or_says_why_it_cannot(capfd):
    raced, refused = [], {}
    for key in library_keys():
        session = Session(SURFACES["book"])
        session.step_limit = STEPS
        try:
            racer = session.add_racer(key)
        except ValueError as exc:
            assert key.rsplit(".", 1)[1] in str(exc)
            refused[key] = str(exc)
            continue
        session.advance(STEPS)  # raises if a step fails
        assert session.status(racer.id)["step"] in range(1, STEPS + 1)
        raced.append(key)
    assert len(raced) > 100 and any(k.endswith(".Lamb") for k in raced)
    assert len(refused) < len(raced) // 5  # 2-D-only (Muon) and Hessian-free methods, say
    assert capfd.readouterr() == ("", "")  # no library warnings on the terminal


def test_a_sweep_runs_one_torch_optimizer_per_cell():
    session = Session(SURFACES["book"])
    racer = session.add_racer("pytorch_optimizer.Lamb" if _has("pytorch_optimizer")
                              else "torch.optim.AdamW", lr=0.1)  # fmt: skip
    result = sweep(session, racer.id, "lr", "weight_decay", n=3, steps=40)
    for j, i in ((0, 0), (2, 1), (1, 2)):
        single = Session(SURFACES["book"])
        single.step_limit = 40
        one = single.add_racer(
            racer.optimizer, lr=result.x_values[i], weight_decay=result.y_values[j]
        )
        single.advance(40)
        status = single.status(one.id)
        np.testing.assert_allclose(result.final[j, i], (status["x"], status["y"]), rtol=1e-12)


def _has(module):
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_generated_specs_follow_the_constructor():
    cls = REGISTRY["torch.optim.AdamW"]
    specs = {h.name: h for h in cls.hyperparams}
    assert list(specs) == ["lr", "betas_0", "betas_1", "eps", "weight_decay", "amsgrad"]
    assert specs["lr"].log and specs["lr"].low < 1e-3 < specs["lr"].high
    assert specs["betas_0"].low == 0.0 and specs["betas_0"].high < 1.0
    assert specs["amsgrad"].kind == "bool"
    opt = cls(lr=0.01, amsgrad=1.0)
    assert opt.torch_kwargs(None) == {
        "lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-08, "weight_decay": 0.01, "amsgrad": True,
        "foreach": False,  # one tensor of two elements: the multi-tensor path only costs
    }  # fmt: skip
    # A constructor without the switch is not given it (L-BFGS has no foreach).
    assert "foreach" not in REGISTRY["torch.optim.LBFGS"]().torch_kwargs(None)
    with pytest.raises(ValueError, match="Invalid learning rate"):
        cls(lr=-1.0)  # torch's own refusal
    with pytest.raises(ValueError, match="2D"):
        REGISTRY["torch.optim.Muon"]()


GUARD_MODULE = """
import pathlib, torch
pathlib.Path({canary!r}).write_text("imported")

class Mine(torch.optim.SGD):
    pass
"""


def scene_with(key):
    return {
        "format": "optimizer-playground-session", "version": 1, "surface": {"key": "book"},
        "start": [-7.0, 2.0], "racers": [{"optimizer": key, "hyper": {"lr": 0.1}}],
        "step": 5, "step_limit": 10,
    }  # fmt: skip


def test_a_session_file_cannot_import_a_module_it_names(tmp_path, monkeypatch):
    canary = tmp_path / "canary.txt"
    (tmp_path / "guarded_opt.py").write_text(GUARD_MODULE.format(canary=str(canary)))
    monkeypatch.syspath_prepend(str(tmp_path))
    file = tmp_path / "scene.json"
    file.write_text(json.dumps(scene_with("guarded_opt.Mine")))
    with pytest.raises(SceneError, match="--allow-import guarded_opt"):
        build(read(file))
    assert not canary.exists()  # refused before anything was imported
    monkeypatch.setattr(torch_bridge, "_allowed", {"guarded_opt"})
    session, _ = build(read(file))
    assert canary.exists() and session.racers[0].optimizer == "guarded_opt.Mine"
    assert session.status(session.racers[0].id)["step"] == 5


def test_an_unknown_torch_class_is_refused_by_name():
    with pytest.raises(SceneError, match=r"not a torch\.optim\.Optimizer"):
        build(scene_with("torch.optim.lr_scheduler"))


def test_a_torch_racer_round_trips_through_a_session_file(tmp_path):
    from gui.model.scene import dumps, to_scene

    session = Session(SURFACES["book"])
    session.step_limit = 20
    racer = session.add_racer("torch.optim.AdamW", lr=0.05, amsgrad=1.0, betas_1=0.99)
    session.advance(20)
    file = tmp_path / "s.json"
    file.write_text(dumps(to_scene(session)))
    loaded, _ = build(read(file))
    twin = loaded.racers[0]
    assert twin.optimizer == "torch.optim.AdamW" and twin.hyper == racer.hyper
    assert loaded.status(twin.id) == session.status(racer.id)
