"""How far apart two colours look: CIELAB, CIEDE2000 and the WCAG contrast ratio. numpy only.

The map's colours and the racers' colours are measured with these, not eyeballed: a racer must
stand out on every colour its trail may cross (see :func:`gui.colormaps.racer_contrast`).

- sRGB → CIELAB with the D65 white point (IEC 61966-2-1 and CIE 15).
- ΔE₀₀ (CIEDE2000), as written out by Sharma, Wu and Dalal (2005), whose test pairs the tests
  check: about 2.3 is a just-noticeable difference between two large patches.
- The WCAG 2.1 contrast ratio (L₁ + 0.05) / (L₂ + 0.05) of relative luminances; success
  criterion 1.4.11 asks 3:1 of a graphical object against the colours next to it.
"""

from __future__ import annotations

import numpy as np

WHITE_D65 = np.array([0.95047, 1.0, 1.08883])
NON_TEXT_CONTRAST = 3.0  # WCAG 2.1 SC 1.4.11: graphical objects against adjacent colours


def hex_to_rgb(color: str) -> np.ndarray:
    """``"#d55e00"`` → ``[213, 94, 0]``."""
    text = color.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"Invalid colour: {color!r} (expected #rrggbb)")
    return np.array([int(text[i : i + 2], 16) for i in (0, 2, 4)], dtype=float)


def linear(rgb: np.ndarray) -> np.ndarray:
    """sRGB 0…255 → linear light 0…1 (the sRGB transfer function undone)."""
    c = np.asarray(rgb, dtype=float) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def luminance(rgb: np.ndarray) -> np.ndarray:
    """WCAG relative luminance of sRGB colours (last axis r, g, b in 0…255)."""
    return linear(rgb) @ np.array([0.2126, 0.7152, 0.0722])


def contrast_ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """WCAG contrast ratio, 1 (same luminance) … 21 (black on white); broadcasts."""
    la, lb = luminance(a), luminance(b)
    return (np.maximum(la, lb) + 0.05) / (np.minimum(la, lb) + 0.05)


def rgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB 0…255 (last axis) → CIELAB L*, a*, b* under D65."""
    m = np.array(
        [
            [0.4124564, 0.3575761, 0.1804375],
            [0.2126729, 0.7151522, 0.0721750],
            [0.0193339, 0.1191920, 0.9503041],
        ]
    )
    xyz = linear(rgb) @ m.T / WHITE_D65
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return np.stack(
        [116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])],
        axis=-1,
    )


def delta_e2000(lab1: np.ndarray, lab2: np.ndarray) -> np.ndarray:
    """CIEDE2000 colour difference of CIELAB colours (last axis L, a, b); broadcasts."""
    lab1, lab2 = np.broadcast_arrays(np.asarray(lab1, float), np.asarray(lab2, float))
    L1, a1, b1 = np.moveaxis(lab1, -1, 0)
    L2, a2, b2 = np.moveaxis(lab2, -1, 0)
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.where(c1p == 0, 0.0, np.degrees(np.arctan2(b1, a1p)) % 360)
    h2p = np.where(c2p == 0, 0.0, np.degrees(np.arctan2(b2, a2p)) % 360)
    dL, dC = L2 - L1, c2p - c1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(c1p * c2p == 0, 0.0, dh)
    dH = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    L_mean, cp_mean = (L1 + L2) / 2, (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_mean = np.where(
        np.abs(h1p - h2p) <= 180, h_sum / 2, np.where(h_sum < 360, h_sum / 2 + 180, h_sum / 2 - 180)
    )
    h_mean = np.where(c1p * c2p == 0, h_sum, h_mean)
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    d_theta = 30 * np.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_mean**7 / (cp_mean**7 + 25.0**7))
    s_l = 1 + 0.015 * (L_mean - 50) ** 2 / np.sqrt(20 + (L_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return np.sqrt(
        (dL / s_l) ** 2 + (dC / s_c) ** 2 + (dH / s_h) ** 2 + r_t * (dC / s_c) * (dH / s_h)
    )
