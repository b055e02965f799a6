/// Entry point: the command is `MatchingBench` (MatchingBench.swift).
MatchingBench.main()
