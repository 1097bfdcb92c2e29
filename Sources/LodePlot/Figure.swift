// Figures as values, drawn through Cairo.
