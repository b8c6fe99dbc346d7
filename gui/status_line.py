"""A line of status text that changes many times a second: a racer's loss, the step counter.

A ``QLabel`` asks its parent's layout to recompute on every ``setText``. In the side panel that
is a relayout of the whole scroll area, every word-wrapped label shaped again, ten times a
second while a race plays, for texts whose box did not change (with eight racers, a status
update took 1.2 ms here with labels and 1.0 ms with these lines, paint included). This widget
paints its text itself and asks for a relayout only when the text needs another box: more or
fewer lines, wrapped, or more width than it has, unwrapped.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from gui.theme import ERROR_COLOR

ONE_LINE = (QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter).value
WRAPPED = ONE_LINE | QtCore.Qt.TextFlag.TextWordWrap.value


class StatusLine(QtWidgets.QWidget):
    def __init__(self, text: str = "", wrap: bool = False, parent=None) -> None:
        super().__init__(parent)
        self._text = text
        self._wrap = wrap
        self._bad = False
        policy = QtWidgets.QSizePolicy(
            QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Preferred
        )
        policy.setHeightForWidth(wrap)
        self.setSizePolicy(policy)
        self.setAccessibleName(text)

    def text(self) -> str:
        return self._text

    def is_bad(self) -> bool:
        """Whether the text is bad news (drawn in the error colour)."""
        return self._bad

    def setText(self, text: str, bad: bool = False) -> None:
        if text == self._text and bad == self._bad:
            return
        self._text, self._bad = text, bad
        self.setAccessibleName(text)
        if self._needs_new_box():
            self.updateGeometry()
        self.update()

    def _needs_new_box(self) -> bool:
        if not self.isVisible():
            return True  # not laid out yet: its size says nothing
        if self._wrap:
            return self.heightForWidth(self.width()) != self.height()
        # Unwrapped, a narrower text keeps its box: no relayout just to give width back.
        hint = self.sizeHint()
        return hint.width() > self.width() or hint.height() > self.height()

    # --- size: what a layout asks ---------------------------------------------------------

    def _flags(self) -> int:
        return WRAPPED if self._wrap else ONE_LINE

    def _text_rect(self, width: int) -> QtCore.QRect:
        bound = QtCore.QRect(0, 0, max(width, 1), 1 << 20)
        return self.fontMetrics().boundingRect(bound, self._flags(), self._text or " ")

    def sizeHint(self) -> QtCore.QSize:
        metrics = self.fontMetrics()
        if self._wrap:
            # Like a wrapped QLabel: a comfortable width, the height its text needs there.
            width = min(metrics.horizontalAdvance(self._text), 80 * metrics.averageCharWidth())
            return QtCore.QSize(width, self.heightForWidth(width))
        return QtCore.QSize(metrics.horizontalAdvance(self._text), metrics.height())

    def minimumSizeHint(self) -> QtCore.QSize:
        metrics = self.fontMetrics()
        if self._wrap:  # the longest word on one line
            longest = max((metrics.horizontalAdvance(w) for w in self._text.split()), default=0)
            return QtCore.QSize(longest, metrics.height())
        return self.sizeHint()

    def hasHeightForWidth(self) -> bool:
        return self._wrap

    def heightForWidth(self, width: int) -> int:
        if not self._wrap:
            return -1
        metrics = self.fontMetrics()
        if metrics.horizontalAdvance(self._text) <= width:
            return metrics.height()  # one line: no line breaking to lay out (the usual case)
        return max(self._text_rect(width).height(), metrics.height())

    # --- paint -------------------------------------------------------------------------------

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        if self._bad:
            painter.setPen(QtGui.QColor(ERROR_COLOR))
        else:
            groups = QtGui.QPalette.ColorGroup
            group = groups.Active if self.isEnabled() else groups.Disabled
            painter.setPen(self.palette().color(group, QtGui.QPalette.ColorRole.WindowText))
        painter.drawText(self.rect(), self._flags(), self._text)
        painter.end()
