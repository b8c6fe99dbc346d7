"""Start the window: parse the command line, restore the last scene, run the event loop."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from types import TracebackType

from PySide6 import QtCore, QtWidgets

from gui.app import COMMANDS
from gui.command_name import command_name
from gui.display import no_display_message
from gui.model import book_scene
from gui.model.session import MAX_STEP_LIMIT
from gui.playback import MAX_SPEED
from gui.qt_messages import harmless_messages_dropped
from gui.settings import ENV, SettingsStore
from gui.window import MainWindow
from optimizers.torch_bridge import add_allow_import, allow_imports


def build_parser() -> argparse.ArgumentParser:
    command = command_name()
    width = max(map(len, COMMANDS))
    commands = "\n".join(f"  {command} {name:<{width}}  {what}" for name, what in COMMANDS.items())
    parser = argparse.ArgumentParser(
        prog=command,
        description="Watch gradient-descent optimizers race across 2-D surfaces, live, and tune\n"
        "them with sliders. With no options the window opens on the last scene (the\n"
        "book's comparison the first time).",
        epilog=f"headless commands (each has its own --help):\n{commands}\n\n"
        f"Settings live in the user's settings store, or in the ini file named by\n${ENV}.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--play", action="store_true", help="start racing at once")
    parser.add_argument(
        "--speed",
        type=int,
        metavar="K",
        help=f"steps per animation tick, 1–{MAX_SPEED} (default: last used, or 1)",
    )
    parser.add_argument(
        "--tick-ms",
        type=int,
        default=30,
        metavar="MS",
        help="milliseconds between animation ticks (default: 30; 0 = as fast as possible)",
    )
    parser.add_argument(
        "--quit-after-ticks",
        type=int,
        metavar="N",
        help="play, and quit with exit code 0 after N ticks (at once with 1 if an error "
        "is shown); for demos and soak tests. Settings are neither read nor saved "
        "unless --settings is given",
    )
    parser.add_argument(
        "--settings",
        metavar="PATH",
        help="keep settings in this ini file instead of the user's store",
    )
    parser.add_argument(
        "--no-settings", action="store_true", help="start on the book scene and save nothing"
    )
    parser.add_argument(
        "--step-limit",
        type=int,
        metavar="N",
        help=f"stop the race at step N, 1–{MAX_STEP_LIMIT:,} (default: last used, or 1,000)",
    )
    parser.add_argument(
        "--view",
        choices=("map", "3d"),
        default="map",
        help="map: the 2-D map (default); 3d: the 3-D view beside it (needs OpenGL)",
    )
    parser.add_argument("--size", metavar="WxH", help="window size in pixels, e.g. 1280x800")
    add_allow_import(parser)
    parser.add_argument("--screenshot", metavar="PATH", help=argparse.SUPPRESS)
    return parser


def launch_main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    allow_imports(args)
    if args.speed is not None and not 1 <= args.speed <= MAX_SPEED:
        build_parser().error(f"--speed must be in 1..{MAX_SPEED}")
    if args.step_limit is not None and not 1 <= args.step_limit <= MAX_STEP_LIMIT:
        build_parser().error(f"--step-limit must be in 1..{MAX_STEP_LIMIT}")
    size = _size(args.size) if args.size else None
    if QtWidgets.QApplication.instance() is None:
        problem = no_display_message(command_name())
        if problem is not None:
            print(problem, file=sys.stderr)
            return 2
    with harmless_messages_dropped():
        return _run(args, size)


def _run(args: argparse.Namespace, size: tuple[int, int] | None) -> int:
    app = QtWidgets.QApplication.instance()
    if app is None:
        # The 3-D view and its exports share compiled GL programs (only settable before).
        share = QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts
        QtCore.QCoreApplication.setAttribute(share)
        app = QtWidgets.QApplication(["optimizer-playground"])
    app.setApplicationDisplayName("Optimizer Playground")

    hermetic = args.no_settings or (args.quit_after_ticks is not None and not args.settings)
    store = None if hermetic else SettingsStore(args.settings)
    session, speed, view = store.load_scene() if store is not None else (book_scene(), 1, None)
    if args.step_limit is not None:
        session.set_step_limit(args.step_limit)
    window = MainWindow(session, store=store, speed=args.speed or speed, tick_ms=args.tick_ms)
    window.restore_geometry()
    if view is not None:
        window.map_view.set_view(view)
    if store is not None and store.problem:
        window.show_error(store.problem)
    if size:
        window.resize(*size)
    if args.view == "3d" and (problem := window.view3d.show_3d()):
        window.show_error(problem)
    errors: list[str] = []

    # A local loop rather than app.exec(): QCoreApplication.exit() would leave every later event
    # loop in this process dead, which breaks running the app in-process (tests, notebooks).
    timed = args.quit_after_ticks is not None
    loop = QtCore.QEventLoop()
    window.closed.connect(lambda: loop.exit(1 if errors and timed else 0))

    def finish() -> None:
        if args.screenshot:
            window.refresh_status()
            window.grab().save(args.screenshot)
        window.close()

    def failed(message: str) -> None:
        errors.append(message)
        if timed:  # the error paused the race, so its ticks would never run out: end now
            QtCore.QTimer.singleShot(0, finish)

    window.playback.failed.connect(failed)

    previous = sys.excepthook
    sys.excepthook = _window_hook(window, previous, failed)
    try:
        window.show()
        if timed:
            window.playback.stop_after(args.quit_after_ticks)
            window.playback.done.connect(finish)
        if args.play or timed:
            window.playback.play()
        code = loop.exec()
    finally:
        sys.excepthook = previous
        if window.isVisible():
            window.close()
        window.deleteLater()
    return code


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        build_parser().error(f"--size wants WIDTHxHEIGHT, e.g. 1280x800, not {text!r}")
    return width, height


def _window_hook(
    window: MainWindow, previous: Callable, record: Callable[[str], None]
) -> Callable[[type[BaseException], BaseException, TracebackType | None], None]:
    """An exception escaping a Qt slot lands here: show it in the window instead of printing."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, exc, tb)
            return
        message = f"{kind.__name__}: {exc}"
        record(message)
        try:
            window.show_error(message)
        except RuntimeError:  # the window is already gone
            previous(kind, exc, tb)

    return hook
