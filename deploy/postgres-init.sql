-- A second database for the Prefect server next to bewijscheck's results store.
CREATE DATABASE prefect OWNER bewijscheck;
