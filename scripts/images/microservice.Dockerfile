# The tutorial's image (eridemnet/microservice-example), built locally FROM scratch: no base image can
# be pulled here. scripts/images/build.cjs lays out the context:
#   rootfs/  the node binary and the shared libraries `ldd` lists for it (same for every version)
#   app/     examples/microservice with package.json's version set to the tag being built
# The tutorial's app listens on $PORT or 3000; ours does too (PORT is set so that a NOMAD_PORT_http in
# the task's environment cannot move it away from the port the job's port_map names).
FROM scratch
COPY rootfs/ /
COPY app/ /app/
ENV PORT=3000
WORKDIR /app
EXPOSE 3000
ENTRYPOINT ["/usr/bin/node", "/app/index.js"]
