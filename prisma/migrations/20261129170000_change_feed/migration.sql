-- CreateTable
CREATE TABLE "Change" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "missionId" TEXT,
    "jobId" TEXT,
    "kind" TEXT NOT NULL,
    "status" TEXT,
    "version" INTEGER,
    "event" TEXT,
    "at" DATETIME NOT NULL,
    "actor" TEXT
);

-- CreateTable
CREATE TABLE "ChangeFeed" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "prunedThrough" INTEGER NOT NULL
);

-- CreateIndex
CREATE INDEX "Change_at_idx" ON "Change"("at");

