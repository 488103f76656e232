-- AlterEnum
ALTER TYPE "EntityEvent" ADD VALUE 'IMPORTED';

