print("registry: under construction")
