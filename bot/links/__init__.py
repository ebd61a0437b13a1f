"""A reader's link: fetched under the outbound policy, then summarised."""
