"""Work that runs by itself: scheduled jobs, claimed through the database by any runner."""
