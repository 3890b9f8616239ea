"""What the tests share: fakes at the system edge, card renderers, test data, servers."""
