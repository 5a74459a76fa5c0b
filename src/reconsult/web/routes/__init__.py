"""HTTP routes, one module per area (a package each for the assessment, case and account pages).

Routes are thin: parse, call one function, render.
"""
