"""Side-by-side measurements of learngraph's paths against their baselines, run on demand."""
