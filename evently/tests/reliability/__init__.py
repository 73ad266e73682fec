"""Reliability suite (issue 7): schema fuzzing, hostile input, auth attacks, faults against
real processes, multi-process correctness and a short soak. See docs/RELIABILITY.md."""
