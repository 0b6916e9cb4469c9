"""Chinese text: numbers, claims and statement features of the narrative parts."""
