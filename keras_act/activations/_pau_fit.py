"""The initial coefficients of Padé activation units: least-squares fits.

Molina, Schramowski and Kersting 2019 start a PAU from the rational
function closest to a known activation (leaky ReLU in their experiments).
`fit()` computes it on [-3, 3] with numpy only:

1. the linearized problem: P(x) - f(x) * B(x) = f(x) for the coefficients
   of P and B, an ordinary linear least-squares problem (it fits
   P / (1 + B), the denominator without the absolute value);
2. Levenberg-Marquardt on the real residual P(x) / (1 + |B(x)|) - f(x),
   from that start, with the analytic Jacobian, until no step lowers the
   sum of squares.

Both steps are deterministic, so the same numpy gives the same numbers.
`FITS` holds the result for the default degrees (5, 4) and every offered
initial function, with the largest error on the fitting grid; `PAU` uses
them as constants and calls `fit()` at build time only for other degrees
(about 0.1 s). Rerun with

    .venv/bin/python -m keras_act.activations._pau_fit

which prints `FITS` as it is written here; tests/layers/test_learnable_layers.py
checks that the stored coefficients reproduce, and meet their errors.
"""

import numpy as np

LOWER, UPPER, POINTS = -3.0, 3.0, 2001
LEAKY_SLOPE = 0.01


def _target(name, x):
    if name == "leaky_relu":
        return np.where(x > 0, x, LEAKY_SLOPE * x)
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 0.5 * (1.0 + np.tanh(0.5 * x))
    raise KeyError(name)


INITIAL_FUNCTIONS = ("leaky_relu", "relu", "tanh", "sigmoid")


def grid():
    """The fitting grid: 2001 evenly spaced points of [-3, 3]."""
    return np.linspace(LOWER, UPPER, POINTS)


def rational(x, numerator, denominator):
    """P(x) / (1 + |B(x)|) in float64 numpy, P and B from their coefficients."""
    x = np.asarray(x, dtype=np.float64)
    p = np.polyval(np.asarray(numerator, np.float64)[::-1], x)
    b = x * np.polyval(np.asarray(denominator, np.float64)[::-1], x)
    return p / (1.0 + np.abs(b))


def fit(initial="leaky_relu", numerator_degree=5, denominator_degree=4, max_iterations=500):
    """`(numerator, denominator, max_error)`: the safe rational function of
    the given degrees closest to `initial` on [-3, 3] in least squares.

    `numerator` is a_0..a_m, `denominator` b_1..b_n (Python floats);
    `max_error` the largest |error| on the grid.
    """
    m, n = numerator_degree, denominator_degree
    x = grid()
    f = _target(initial, x)
    powers_p = np.vander(x, m + 1, increasing=True)
    powers_b = np.vander(x, n + 1, increasing=True)[:, 1:]
    theta = np.linalg.lstsq(np.hstack([powers_p, -f[:, None] * powers_b]), f, rcond=None)[0]

    def residual(theta):
        p = powers_p @ theta[: m + 1]
        b = powers_b @ theta[m + 1 :]
        q = 1.0 + np.abs(b)
        return p / q - f, p, b, q

    r, p, b, q = residual(theta)
    cost = r @ r
    damping = 1e-3
    for _ in range(max_iterations):
        jacobian = np.hstack([powers_p / q[:, None], (-p / q**2 * np.sign(b))[:, None] * powers_b])
        gradient = jacobian.T @ r
        hessian = jacobian.T @ jacobian
        improved = False
        while damping < 1e12:
            step = np.linalg.solve(hessian + damping * np.diag(np.diag(hessian)), -gradient)
            candidate = residual(theta + step)
            if candidate[0] @ candidate[0] < cost:
                theta = theta + step
                r, p, b, q = candidate
                cost = r @ r
                damping = max(damping / 3.0, 1e-12)
                improved = True
                break
            damping *= 4.0
        if not improved or np.max(np.abs(step)) < 1e-14:
            break
    numerator = [float(v) for v in theta[: m + 1]]
    denominator = [float(v) for v in theta[m + 1 :]]
    return numerator, denominator, float(np.max(np.abs(rational(x, numerator, denominator) - f)))


# initial function -> (numerator a_0..a_5, denominator b_1..b_4, max |error| on the grid),
# for the default degrees (5, 4). Written by this module's main().
FITS = {
    'leaky_relu': (
        [0.03357210292110983, 0.505000000591109, 1.652675081365115, 2.0081227220496123, 0.9305754843505087, 0.15213276044995944],
        [5.5732049147372595e-09, 3.9764806303017988, 3.816134118741192e-09, 0.30125299036902486],
        0.03357210292110983,
    ),
    'relu': (
        [0.033911215052497175, 0.500000001034967, 1.6693687719917842, 1.9882403237930018, 0.9399752394173898, 0.15062649599236771],
        [1.0013416340774757e-08, 3.976480633530005, 7.286659453054964e-09, 0.3012529907471851],
        0.033911215052497175,
    ),
    'tanh': (
        [2.007016597130589e-18, 0.9999942288393352, 9.785361398608613e-16, 0.10770541852172517, 4.7623119422511604e-17, 0.0008709769623798955],
        [1.0076247244480405e-15, 0.44101086915650833, 3.547057683744021e-16, 0.014579885883647012],
        3.4818222297561263e-06,
    ),
    'sigmoid': (
        [0.4999999999999798, 0.2499999942340641, 0.05544264371076011, 0.006888005543773086, 0.0004848734105926099, 1.5645190133628643e-05],
        [-5.777649006315053e-10, 0.1108852877101762, -5.638867670010811e-11, 0.0009697468254974976],
        4.7581066378588055e-09,
    ),
}


def stored_or_fit(initial, numerator_degree, denominator_degree):
    """The stored fit for the default degrees, else `fit()` (deterministic)."""
    if (numerator_degree, denominator_degree) == (5, 4) and initial in FITS:
        return FITS[initial]
    return fit(initial, numerator_degree, denominator_degree)


def main():
    print("FITS = {")
    for name in INITIAL_FUNCTIONS:
        numerator, denominator, error = fit(name)
        print(f"    {name!r}: (")
        print(f"        {numerator!r},")
        print(f"        {denominator!r},")
        print(f"        {error!r},")
        print("    ),")
    print("}")


if __name__ == "__main__":
    main()
