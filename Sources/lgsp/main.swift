print("lgsp")
