// Tests for Rollouts.
