"""The network against torch's autograd: the same weights, data and loss, independent code."""

import numpy as np
import pytest
from conftest import peer

from surfaces.network import MLP

torch = peer("torch", reason="torch is the independent reference here")
pytestmark = pytest.mark.needs_torch

ACTIVATION = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}


@pytest.mark.parametrize("activation", ["relu", "sigmoid", "tanh"])
def test_loss_and_gradient_equal_torch_autograd(activation):
    rng = np.random.default_rng(0)
    net = MLP(12, [10, 8, 6], 4, activation, weight_decay_lambda=0.01, seed=3)
    x = rng.normal(size=(20, 12))
    t = rng.integers(0, 4, 20)
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in net.params.items()}
    h = torch.tensor(x)
    for i in range(1, 5):
        h = h @ tensors[f"W{i}"] + tensors[f"b{i}"]
        if i < 4:
            h = ACTIVATION[activation](h)
    decay = sum((tensors[f"W{i}"] ** 2).sum() for i in range(1, 5))
    loss = torch.nn.functional.cross_entropy(h, torch.tensor(t)) + 0.5 * 0.01 * decay
    loss.backward()
    assert net.loss(x, t) == pytest.approx(loss.item(), rel=1e-13)
    grads = net.gradient(x, t)
    for key, tensor in tensors.items():
        np.testing.assert_allclose(grads[key], tensor.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_a_race_of_sgd_equals_torch_sgd_on_the_same_batches():
    """Momentum is torch's SGD with momentum exactly (see optimizers.book.Momentum): a network
    trained by the race model and by torch from the same weights ends at the same weights."""
    from gui.model.network import NetworkRace, NetworkSetup

    race = NetworkRace(NetworkSetup(dataset="circles", size=80, hidden=(6,), batch=10))
    racer = race.add_racer("momentum", lr=0.1, momentum=0.9)
    race.advance(25)
    tensors = {k: torch.tensor(v, requires_grad=True) for k, v in race.start.params.items()}
    opt = torch.optim.SGD(tensors.values(), lr=0.1, momentum=0.9)
    for i in range(25):
        idx = race.batches.indices(i)
        x = torch.tensor(race.data.x_train[idx])
        t = torch.tensor(race.data.t_train[idx])
        opt.zero_grad()
        h = torch.relu(x @ tensors["W1"] + tensors["b1"]) @ tensors["W2"] + tensors["b2"]
        torch.nn.functional.cross_entropy(h, t).backward()
        opt.step()
    for key, value in race.runs[racer.id].net.params.items():
        np.testing.assert_allclose(value, tensors[key].detach().numpy(), rtol=1e-9, atol=1e-12)
