# SwarmMQ node image. Build: docker build -t swarmmq:0.1.0 .   (not built on the project's own
# machines, which have no Docker engine; see k8s/README.md)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -ntp -pl src/Node -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN useradd --uid 10001 --create-home swarmmq && mkdir -p /data /app && chown swarmmq /data
COPY --from=build /src/src/Node/target/swarmmq.jar /app/swarmmq.jar
USER 10001
ENV SWARMMQ_DATA_DIR=/data \
    JAVA_OPTS="-XX:MaxRAMPercentage=70"
VOLUME /data
# MQTT, Pekko remoting (Artery), Pekko Management (health checks, bootstrap)
EXPOSE 1883 25520 8558
# exec: java becomes PID 1 and gets the SIGTERM that starts a graceful leave
ENTRYPOINT ["sh", "-c", "exec java $JAVA_OPTS -jar /app/swarmmq.jar"]
