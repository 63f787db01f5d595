/** Called after every write of a store migration (the SIGKILL tests use it to kill the process part-way). */
export type MigrationStep = () => Promise<void>;
