"""HTTP routes, one module per area. Routes are thin: parse, call one function, render."""
