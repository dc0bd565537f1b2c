#!/bin/sh
echo hello from the copied script
