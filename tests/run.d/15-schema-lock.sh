# schema/knowitall.lock.json must be exactly what `knowitall schema build` gives for schema/ now (on the embedded
# PostgreSQL): a schema edit committed without rebuilding the compiled model fails CI here, naming the file.
echo "checking schema/knowitall.lock.json against schema/"
: "${knowitall_dll:?the CLI run.d/07-build.sh builds: run tests/run.sh}"
dotnet "$knowitall_dll" schema build --check
