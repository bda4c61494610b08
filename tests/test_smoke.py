def test_world_builds(world):
    assert world.blue_harbor.org.parent == world.acme
