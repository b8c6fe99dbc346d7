"""The model's listener list: disconnecting one listener leaves the others, and disconnecting a
stranger is harmless (views disconnect when they close, whether or not they ever connected)."""

from gui.model.events import Events


def test_disconnect_removes_only_that_listener_and_ignores_strangers():
    events = Events()
    heard: list[tuple[str, str, int | None]] = []
    first = lambda kind, rid: heard.append(("first", kind, rid))  # noqa: E731
    second = lambda kind, rid: heard.append(("second", kind, rid))  # noqa: E731
    events.connect(first)
    events.connect(second)
    events.disconnect(first)
    events.disconnect(lambda kind, rid: None)  # never connected: nothing happens
    events.emit("racer", 3)
    assert heard == [("second", "racer", 3)]
