def find_times(doc, anchor):
    return []
